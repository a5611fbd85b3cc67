package application

import (
	"context"
	"fmt"
	"time"

	"crm/domain"
)

// ChangeRole gives a user another role.
type ChangeRole struct {
	Actor  *domain.User // nil: the operator at the command line
	UserID int64
	Role   string
}

// ChangeRoleHandler handles ChangeRole.
type ChangeRoleHandler struct {
	users Users
	clock Clock
}

// NewChangeRoleHandler returns a ChangeRoleHandler.
func NewChangeRoleHandler(users Users, clock Clock) ChangeRoleHandler {
	return ChangeRoleHandler{users: users, clock: clock}
}

// Handle changes the role and records UserRoleChanged for the audit log. It
// takes effect on the user's next request. Errors: ErrForbidden for
// non-admins, a ValidationError for an unknown role, ErrUserNotFound, and
// ErrLastAdmin when the last active admin would demote themself.
func (h ChangeRoleHandler) Handle(ctx context.Context, cmd ChangeRole) error {
	if cmd.Actor != nil && !cmd.Actor.IsAdmin() {
		return domain.ErrForbidden
	}
	role, err := domain.ParseRole(cmd.Role)
	if err != nil {
		return err
	}
	admins, err := h.users.CountActiveAdmins(ctx)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	return h.users.Update(ctx, cmd.UserID, func(u *domain.User) error {
		if u.IsAdmin() && u.Active() && role != domain.RoleAdmin && admins <= 1 && cmd.Actor != nil {
			return domain.ErrLastAdmin
		}
		u.ChangeRole(actorOrOperator(cmd.Actor), role, h.clock.Now())
		return nil
	})
}

// actorOrOperator names who did an admin action: the logged-in admin, or
// the operator at the command line.
func actorOrOperator(actor *domain.User) *domain.User {
	if actor != nil {
		return actor
	}
	return domain.RehydrateUser(0, "operator", "", domain.RoleAdmin, true, 0, "", time.Time{})
}
