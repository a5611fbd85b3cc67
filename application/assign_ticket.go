package application

import (
	"context"
	"errors"
	"fmt"

	"crm/domain"
)

// AssignTicket gives a ticket to a staff member; AssigneeID 0 takes it back.
type AssignTicket struct {
	Actor      *domain.User
	TicketID   int64
	AssigneeID int64
}

type AssignTicketHandler struct {
	tickets Tickets
	users   Users
	clock   Clock
}

func NewAssignTicketHandler(tickets Tickets, users Users, clock Clock) AssignTicketHandler {
	return AssignTicketHandler{tickets: tickets, users: users, clock: clock}
}

// Handle assigns the ticket. Errors: ErrForbidden for non-staff, a
// ValidationError on "assignee" when the assignee is unknown or not active
// staff, ErrTicketNotFound.
func (h AssignTicketHandler) Handle(ctx context.Context, cmd AssignTicket) error {
	if !cmd.Actor.IsStaff() {
		return domain.ErrForbidden
	}
	var assignee *domain.User
	if cmd.AssigneeID != 0 {
		u, err := h.users.Get(ctx, cmd.AssigneeID)
		if errors.Is(err, domain.ErrUserNotFound) {
			return domain.ValidationError{Field: "assignee", Code: domain.CodeNotStaff}
		}
		if err != nil {
			return fmt.Errorf("load assignee: %w", err)
		}
		assignee = u
	}
	return h.tickets.Update(ctx, cmd.TicketID, func(t *domain.Ticket) error {
		return t.Assign(cmd.Actor, assignee, h.clock.Now())
	})
}
