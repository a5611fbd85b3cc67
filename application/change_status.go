package application

import (
	"context"

	"crm/domain"
)

// ChangeStatus moves a ticket along the workflow.
type ChangeStatus struct {
	Actor    *domain.User
	TicketID int64
	Status   string
	Comment  string
}

type ChangeStatusHandler struct {
	tickets Tickets
	clock   Clock
}

func NewChangeStatusHandler(tickets Tickets, clock Clock) ChangeStatusHandler {
	return ChangeStatusHandler{tickets: tickets, clock: clock}
}

// Handle applies the change and stores TicketStatusChanged with it. Staff
// make every move of the workflow; the owner may close their ticket and
// reopen it. Errors: ErrTicketNotFound for a ticket the actor may not see,
// ErrForbidden for a move that is not theirs, a ValidationError for an
// unknown status or a comment too long or not text, ErrInvalidTransition
// for a move the workflow refuses. Concurrent changes are serialised by
// the repository, so the second one sees the first one's status.
func (h ChangeStatusHandler) Handle(ctx context.Context, cmd ChangeStatus) error {
	to, err := domain.ParseStatus(cmd.Status)
	if err != nil {
		return err
	}
	return h.tickets.Update(ctx, cmd.TicketID, func(t *domain.Ticket) error {
		if !t.CanBeSeenBy(cmd.Actor) {
			return domain.ErrTicketNotFound
		}
		return t.ChangeStatus(cmd.Actor, to, cmd.Comment, h.clock.Now())
	})
}
