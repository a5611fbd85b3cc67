package memory

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"crm/application"
	"crm/domain"
)

var _ application.Tickets = (*Tickets)(nil)

// Tickets keeps tickets with their history and comments in memory.
type Tickets struct {
	mu            sync.Mutex
	byID          map[int64]*domain.Ticket
	nextID        int64
	nextHistoryID int64
	nextCommentID int64
	files         fileStore
	events        *EventStore
}

// NewTickets returns an empty Tickets that records events into events.
func NewTickets(events *EventStore) *Tickets {
	return &Tickets{byID: map[int64]*domain.Ticket{}, files: newFileStore(), events: events}
}

// copyTicket rebuilds t without its events and with microsecond times.
// Get and Update take it with details; Search lists with listedTicket.
func copyTicket(t *domain.Ticket, withDetails bool) *domain.Ticket {
	var history []domain.StatusChange
	var comments []domain.Comment
	if withDetails {
		history, comments = details(t)
	}
	return rehydrate(t, history, comments)
}

// listedTicket is t as Search lists it, as the SQL adapters do (see
// application.TicketPage): without its text, history, comments and events,
// with microsecond times.
func listedTicket(t *domain.Ticket) *domain.Ticket {
	return domain.RehydrateTicket(t.ID(), t.OwnerID(), t.OwnerName(), t.Title(), "", t.Type(), t.Status(),
		t.AssigneeID(), t.AssigneeName(), micro(t.CreatedAt()), micro(t.UpdatedAt()), nil, nil).
		RehydrateRating(t.Rating(), micro(t.RatedAt())).
		RehydrateTargets(microTargets(t.Targets()))
}

// details returns copies of t's history and comments with microsecond
// times, as the SQL adapters store them.
func details(t *domain.Ticket) ([]domain.StatusChange, []domain.Comment) {
	history, comments := t.History(), t.Comments()
	for i := range history {
		history[i].At = micro(history[i].At)
	}
	for i := range comments {
		comments[i].At = micro(comments[i].At)
	}
	return history, comments
}

// rehydrate rebuilds t, without its events, with history, comments, its
// rating and t's stored attachments.
func rehydrate(t *domain.Ticket, history []domain.StatusChange, comments []domain.Comment) *domain.Ticket {
	return domain.RehydrateTicket(t.ID(), t.OwnerID(), t.OwnerName(), t.Title(), t.Text(), t.Type(), t.Status(),
		t.AssigneeID(), t.AssigneeName(), micro(t.CreatedAt()), micro(t.UpdatedAt()), history, comments).
		RehydrateAttachments(t.Attachments(), t.DeletedAttachments()...).
		RehydrateRating(t.Rating(), micro(t.RatedAt())).
		RehydrateTargets(microTargets(t.Targets()))
}

// Add stores t, its history, comments and events, and sets its id.
func (s *Tickets) Add(_ context.Context, t *domain.Ticket) error {
	if t.ID() != 0 {
		return fmt.Errorf("add ticket %d: already stored", t.ID())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	t.SetID(s.nextID)
	events, err := encodeEvents(t.Events())
	if err != nil {
		s.nextID-- // as a rolled-back SQL insert, but without a gap
		return fmt.Errorf("add ticket: %w", err)
	}
	s.store(t)
	s.events.append(events)
	return nil
}

// store keeps a copy of t, giving new history entries, comments and
// attachments ids, and keeps the contents of its new files.
func (s *Tickets) store(t *domain.Ticket) {
	history, comments := details(t)
	for i := range history {
		if history[i].ID == 0 {
			s.nextHistoryID++
			history[i].ID = s.nextHistoryID
		}
	}
	for i := range comments {
		if comments[i].ID == 0 {
			s.nextCommentID++
			comments[i].ID = s.nextCommentID
		}
	}
	atts, deleted := s.files.keepFiles(t, comments)
	s.byID[t.ID()] = rehydrate(t, history, comments).RehydrateAttachments(atts, deleted...)
}

// Get returns the ticket with id, with history and comments, or
// ErrTicketNotFound.
func (s *Tickets) Get(_ context.Context, id int64) (*domain.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.byID[id]
	if !ok {
		return nil, domain.ErrTicketNotFound
	}
	return copyTicket(t, true), nil
}

// Update calls fn on a copy of the ticket with id and stores the result and
// its events. An error from fn changes nothing and is returned;
// ErrTicketNotFound when there is no such ticket.
func (s *Tickets) Update(_ context.Context, id int64, fn func(t *domain.Ticket) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	stored, ok := s.byID[id]
	if !ok {
		return domain.ErrTicketNotFound
	}
	t := copyTicket(stored, true)
	if err := fn(t); err != nil {
		return err
	}
	events, err := encodeEvents(t.Events())
	if err != nil {
		return fmt.Errorf("update ticket %d: %w", id, err)
	}
	s.store(t)
	s.events.append(events)
	return nil
}

// Search returns one page of tickets matching f, newest first, without
// text, history and comments.
func (s *Tickets) Search(_ context.Context, f application.TicketFilter) (application.TicketPage, error) {
	p := f.Page.Normalized()
	terms := application.SearchTerms(f.Query)
	s.mu.Lock()
	defer s.mu.Unlock()
	page := application.TicketPage{Tickets: []*domain.Ticket{}, ByStatus: map[domain.Status]int{}}
	var matching []*domain.Ticket
	for _, t := range s.byID {
		if !matches(t, f, terms) {
			continue
		}
		page.ByStatus[t.Status()]++
		if f.Status.IsZero() || t.Status() == f.Status {
			matching = append(matching, t)
		}
	}
	page.Total = len(matching)
	slices.SortFunc(matching, func(a, b *domain.Ticket) int { return cmpDesc(a.ID(), b.ID()) })
	if f.SortDue {
		matching = sortByDue(matching, p.Before)
	}
	for _, t := range matching {
		if !f.SortDue && p.Before != 0 && t.ID() >= p.Before {
			continue
		}
		if len(page.Tickets) == p.Limit {
			page.Next = page.Tickets[len(page.Tickets)-1].ID()
			break
		}
		page.Tickets = append(page.Tickets, listedTicket(t))
	}
	return page, nil
}

// matches applies every filter of f but the status.
func matches(t *domain.Ticket, f application.TicketFilter, terms []string) bool {
	switch {
	case f.OwnerID != 0 && t.OwnerID() != f.OwnerID:
		return false
	case !f.Type.IsZero() && t.Type() != f.Type:
		return false
	case f.AssigneeID == application.Unassigned && t.AssigneeID() != 0:
		return false
	case f.AssigneeID > 0 && t.AssigneeID() != f.AssigneeID:
		return false
	case len(terms) > 0 && !application.MatchesSearch(application.TicketSearchText(t), terms):
		return false
	case !f.OverdueAt.IsZero() && (t.NextDue().IsZero() || !micro(t.NextDue()).Before(micro(f.OverdueAt))):
		return false
	}
	return true
}
