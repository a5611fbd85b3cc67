package application

import (
	"context"

	"crm/domain"
)

// ListQueue lists every ticket for staff, filtered.
type ListQueue struct {
	Actor  *domain.User
	Status string // "" for any
	Type   string // "" for any
	// Assignee is "" (anyone), "unassigned", "mine", or a user id.
	Assignee string
	Query    string
	Page     Page
	// Sort is "" (newest first) or "due" (soonest due first).
	Sort string
	// Overdue keeps only the tickets overdue now.
	Overdue bool
}

type ListQueueHandler struct {
	tickets Tickets
	clock   Clock
}

func NewListQueueHandler(tickets Tickets, clock Clock) ListQueueHandler {
	return ListQueueHandler{tickets: tickets, clock: clock}
}

// Handle returns one page of the queue, newest first or, with Sort "due",
// soonest due first; Overdue keeps the tickets overdue at the clock's now.
// Errors: ErrForbidden for non-staff, a ValidationError for a filter value
// that does not exist (an unknown Sort on "sort") or a query ValidateSearch
// refuses.
func (h ListQueueHandler) Handle(ctx context.Context, q ListQueue) (TicketPage, error) {
	if !q.Actor.IsStaff() {
		return TicketPage{}, domain.ErrForbidden
	}
	if err := ValidateSearch(q.Query); err != nil {
		return TicketPage{}, err
	}
	f := TicketFilter{Query: q.Query, Page: q.Page.Normalized()}
	switch q.Sort {
	case "":
	case "due":
		f.SortDue = true
	default:
		return TicketPage{}, domain.ValidationError{Field: "sort", Code: domain.CodeInvalid}
	}
	if q.Overdue {
		f.OverdueAt = h.clock.Now()
	}
	if q.Status != "" {
		st, err := domain.ParseStatus(q.Status)
		if err != nil {
			return TicketPage{}, err
		}
		f.Status = st
	}
	if q.Type != "" {
		tt, err := domain.ParseTicketType(q.Type)
		if err != nil {
			return TicketPage{}, err
		}
		f.Type = tt
	}
	switch q.Assignee {
	case "":
	case "unassigned":
		f.AssigneeID = Unassigned
	case "mine":
		f.AssigneeID = q.Actor.ID()
	default:
		id, ok := parseID(q.Assignee)
		if !ok {
			return TicketPage{}, domain.ValidationError{Field: "assignee", Code: domain.CodeInvalid}
		}
		f.AssigneeID = id
	}
	return h.tickets.Search(ctx, f)
}
