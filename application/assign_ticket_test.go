package application_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestAssignTicket(t *testing.T) {
	type people struct{ owner, staff, other, admin, user, inactive *domain.User }
	tests := []struct {
		name     string
		actor    func(p people) *domain.User
		assignee func(p people) int64
		wantErr  error
		wantName string // the assignee's username afterwards; "" unassigned
	}{
		{"staff to another staff member",
			func(p people) *domain.User { return p.staff },
			func(p people) int64 { return p.other.ID() }, nil, "other"},
		{"staff to themself",
			func(p people) *domain.User { return p.staff },
			func(p people) int64 { return p.staff.ID() }, nil, "staff"},
		{"admin to staff",
			func(p people) *domain.User { return p.admin },
			func(p people) int64 { return p.staff.ID() }, nil, "staff"},
		{"staff to an admin",
			func(p people) *domain.User { return p.staff },
			func(p people) int64 { return p.admin.ID() }, nil, "admin"},
		{"to a plain user",
			func(p people) *domain.User { return p.staff },
			func(p people) int64 { return p.user.ID() },
			domain.ValidationError{Field: "assignee", Code: domain.CodeNotStaff}, ""},
		{"to the owner",
			func(p people) *domain.User { return p.staff },
			func(p people) int64 { return p.owner.ID() },
			domain.ValidationError{Field: "assignee", Code: domain.CodeNotStaff}, ""},
		{"to deactivated staff",
			func(p people) *domain.User { return p.staff },
			func(p people) int64 { return p.inactive.ID() },
			domain.ValidationError{Field: "assignee", Code: domain.CodeNotStaff}, ""},
		{"to an unknown user",
			func(p people) *domain.User { return p.staff },
			func(p people) int64 { return 9999 },
			domain.ValidationError{Field: "assignee", Code: domain.CodeNotStaff}, ""},
		{"by a plain user",
			func(p people) *domain.User { return p.user },
			func(p people) int64 { return p.staff.ID() }, domain.ErrForbidden, ""},
		{"by the owner",
			func(p people) *domain.User { return p.owner },
			func(p people) int64 { return p.staff.ID() }, domain.ErrForbidden, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			p := people{
				owner: e.user(t, "owner", domain.RoleUser),
				staff: e.user(t, "staff", domain.RoleStaff),
				other: e.user(t, "other", domain.RoleStaff),
				admin: e.user(t, "admin", domain.RoleAdmin),
				user:  e.user(t, "user", domain.RoleUser),
			}
			p.inactive = e.user(t, "inactive", domain.RoleStaff)
			require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: p.admin, UserID: p.inactive.ID(), Active: false}))
			tk := e.ticket(t, p.owner, "t")

			err := e.AssignTicket.Handle(e.ctx, application.AssignTicket{Actor: tc.actor(p), TicketID: tk.ID(), AssigneeID: tc.assignee(p)})

			stored := e.stored(t, tk.ID())
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
				assert.Zero(t, stored.AssigneeID(), "nothing changed")
				assert.Empty(t, e.events(t, domain.KindTicketAssigned))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.assignee(p), stored.AssigneeID())
			assert.Equal(t, tc.wantName, stored.AssigneeName())
			assert.Equal(t, []domain.Event{domain.TicketAssigned{
				TicketID: tk.ID(), OwnerID: p.owner.ID(), AssigneeID: tc.assignee(p), AssigneeName: tc.wantName,
				ByID: tc.actor(p).ID(), ByName: tc.actor(p).Username(), At: t0,
			}}, e.events(t, domain.KindTicketAssigned))
		})
	}
}

func TestAssignTicketUnassign(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	tk := e.ticket(t, owner, "t")
	require.NoError(t, e.AssignTicket.Handle(e.ctx, application.AssignTicket{Actor: staff, TicketID: tk.ID(), AssigneeID: staff.ID()}))
	require.Equal(t, staff.ID(), e.stored(t, tk.ID()).AssigneeID())

	err := e.AssignTicket.Handle(e.ctx, application.AssignTicket{Actor: staff, TicketID: tk.ID(), AssigneeID: 0})

	require.NoError(t, err)
	stored := e.stored(t, tk.ID())
	assert.Zero(t, stored.AssigneeID())
	assert.Empty(t, stored.AssigneeName())
	assert.Len(t, e.events(t, domain.KindTicketAssigned), 2)
}

func TestAssignTicketThatDoesNotExist(t *testing.T) {
	e := newEnv(t)
	staff := e.user(t, "staff", domain.RoleStaff)

	err := e.AssignTicket.Handle(e.ctx, application.AssignTicket{Actor: staff, TicketID: 404, AssigneeID: staff.ID()})

	assert.ErrorIs(t, err, domain.ErrTicketNotFound)
}
