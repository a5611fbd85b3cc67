package application

import (
	"context"

	"crm/domain"
)

// SetStaffAlerts switches the staff alerts of Actor's linked chat (the
// account page's Telegram section): new tickets, and the owner's replies
// on tickets assigned to them.
type SetStaffAlerts struct {
	Actor        *domain.User
	NewTickets   bool
	OwnerReplies bool
}

type SetStaffAlertsHandler struct {
	users Users
}

func NewSetStaffAlertsHandler(users Users) SetStaffAlertsHandler {
	return SetStaffAlertsHandler{users: users}
}

// Handle stores the switches on the actor's own account. Errors:
// ErrForbidden for someone who is not staff (checked again as stored, so
// a demotion meanwhile is not overlooked), ErrUserNotFound.
func (h SetStaffAlertsHandler) Handle(ctx context.Context, cmd SetStaffAlerts) error {
	if !cmd.Actor.IsStaff() {
		return domain.ErrForbidden
	}
	return h.users.Update(ctx, cmd.Actor.ID(), func(u *domain.User) error {
		if !u.IsStaff() {
			return domain.ErrForbidden
		}
		u.SetStaffAlerts(cmd.NewTickets, cmd.OwnerReplies)
		return nil
	})
}
