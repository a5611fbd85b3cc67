package application

import (
	"context"
	"time"

	"crm/domain"
)

// ChangeRole gives a user another role.
type ChangeRole struct {
	Actor  *domain.User // nil: the operator at the command line
	UserID int64
	Role   string
}

type ChangeRoleHandler struct {
	users Users
	clock Clock
}

func NewChangeRoleHandler(users Users, clock Clock) ChangeRoleHandler {
	return ChangeRoleHandler{users: users, clock: clock}
}

// Handle changes the role and records UserRoleChanged for the audit log. It
// takes effect on the user's next request. Errors: ErrForbidden for
// non-admins, a ValidationError for an unknown role, ErrUserNotFound, and
// ErrLastAdmin when demoting the user would leave no active admin (counted
// in the same transaction, so two admins demoting each other at once leave
// one). The operator (nil Actor) is never refused: the command line is the
// way to recover.
func (h ChangeRoleHandler) Handle(ctx context.Context, cmd ChangeRole) error {
	if cmd.Actor != nil && !cmd.Actor.IsAdmin() {
		return domain.ErrForbidden
	}
	role, err := domain.ParseRole(cmd.Role)
	if err != nil {
		return err
	}
	return h.users.UpdateCountingAdmins(ctx, cmd.UserID, func(u *domain.User, activeAdmins int) error {
		if cmd.Actor != nil && role != domain.RoleAdmin && isLastActiveAdmin(u, activeAdmins) {
			return domain.ErrLastAdmin
		}
		u.ChangeRole(actorOrOperator(cmd.Actor), role, h.clock.Now())
		return nil
	})
}

// isLastActiveAdmin reports whether u is an active admin and no other one
// is left, given how many active admins there are, u included: demoting or
// deactivating u would leave the desk without one.
func isLastActiveAdmin(u *domain.User, activeAdmins int) bool {
	return u.IsAdmin() && u.Active() && activeAdmins <= 1
}

// actorOrOperator names who did an admin action: the logged-in admin, or
// the operator at the command line.
func actorOrOperator(actor *domain.User) *domain.User {
	if actor != nil {
		return actor
	}
	return domain.RehydrateUser(0, "operator", "", domain.RoleAdmin, true, 0, "", time.Time{})
}
