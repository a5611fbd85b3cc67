package application

import (
	"context"
	"fmt"

	"crm/domain"
)

// SetUserActive deactivates or reactivates an account.
type SetUserActive struct {
	Actor  *domain.User
	UserID int64
	Active bool
}

type SetUserActiveHandler struct {
	users    Users
	sessions Sessions
	clock    Clock
}

func NewSetUserActiveHandler(users Users, sessions Sessions, clock Clock) SetUserActiveHandler {
	return SetUserActiveHandler{users: users, sessions: sessions, clock: clock}
}

// Handle changes the flag and records UserActiveChanged. A deactivated
// user's sessions end at once. Errors: ErrForbidden for non-admins,
// ErrUserNotFound, ErrLastAdmin when deactivating the user would leave no
// active admin (counted in the same transaction, so two admins
// deactivating each other at once leave one).
func (h SetUserActiveHandler) Handle(ctx context.Context, cmd SetUserActive) error {
	if !cmd.Actor.IsAdmin() {
		return domain.ErrForbidden
	}
	err := h.users.UpdateCountingAdmins(ctx, cmd.UserID, func(u *domain.User, activeAdmins int) error {
		if !cmd.Active && isLastActiveAdmin(u, activeAdmins) {
			return domain.ErrLastAdmin
		}
		u.SetActive(cmd.Actor, cmd.Active, h.clock.Now())
		return nil
	})
	if err != nil {
		return err
	}
	if !cmd.Active {
		if err := h.sessions.DeleteForUser(ctx, cmd.UserID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
	}
	return nil
}
