package application

import (
	"context"

	"crm/domain"
)

// ListStaff lists the active staff and admins a ticket can be assigned to.
type ListStaff struct {
	Actor *domain.User
}

type ListStaffHandler struct {
	users Users
}

func NewListStaffHandler(users Users) ListStaffHandler { return ListStaffHandler{users: users} }

// Handle returns the staff, the newest MaxPageSize at most, or ErrForbidden
// for non-staff.
func (h ListStaffHandler) Handle(ctx context.Context, q ListStaff) ([]*domain.User, error) {
	if !q.Actor.IsStaff() {
		return nil, domain.ErrForbidden
	}
	p, err := h.users.List(ctx, UserFilter{
		Roles: []domain.Role{domain.RoleStaff, domain.RoleAdmin}, ActiveOnly: true,
		Page: Page{Limit: MaxPageSize},
	})
	return p.Users, err
}
