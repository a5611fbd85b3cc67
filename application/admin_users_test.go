package application_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestUserManagementIsForAdminsOnly(t *testing.T) {
	for _, role := range []domain.Role{domain.RoleUser, domain.RoleStaff} {
		t.Run(role.String(), func(t *testing.T) {
			e := newEnv(t)
			e.user(t, "admin", domain.RoleAdmin)
			actor := e.user(t, "actor", role)
			victim := e.user(t, "victim", domain.RoleUser)

			_, err := e.ListUsers.Handle(e.ctx, application.ListUsers{Actor: actor})
			assert.ErrorIs(t, err, domain.ErrForbidden, "ListUsers")
			err = e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: actor, UserID: victim.ID(), Role: "admin"})
			assert.ErrorIs(t, err, domain.ErrForbidden, "ChangeRole")
			err = e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: actor, UserID: actor.ID(), Role: "admin"})
			assert.ErrorIs(t, err, domain.ErrForbidden, "ChangeRole on themself")
			err = e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: actor, UserID: victim.ID(), Active: false})
			assert.ErrorIs(t, err, domain.ErrForbidden, "SetUserActive")
			_, err = e.ListAuditLog.Handle(e.ctx, application.ListAuditLog{Actor: actor})
			assert.ErrorIs(t, err, domain.ErrForbidden, "ListAuditLog")

			assert.Equal(t, domain.RoleUser, e.reload(t, victim).Role())
			assert.True(t, e.reload(t, victim).Active())
			assert.Equal(t, role, e.reload(t, actor).Role())
		})
	}
}

func TestListUsers(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	e.user(t, "alice", domain.RoleUser)
	e.user(t, "Alina", domain.RoleStaff)
	e.user(t, "bob", domain.RoleUser)

	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"everyone, newest first", "", []string{"bob", "Alina", "alice", "admin"}},
		{"part of the username, any case", "ALI", []string{"Alina", "alice"}},
		{"nobody", "zed", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page, err := e.ListUsers.Handle(e.ctx, application.ListUsers{Actor: admin, Query: tc.query})

			require.NoError(t, err)
			assert.Equal(t, tc.want, usernames(page.Users))
			assert.Equal(t, len(tc.want), page.Total)
		})
	}
}

func TestListUsersPaginates(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	for i := 1; i <= 4; i++ {
		e.user(t, fmt.Sprintf("user%d", i), domain.RoleUser)
	}

	first, err := e.ListUsers.Handle(e.ctx, application.ListUsers{Actor: admin, Page: application.Page{Limit: 3}})
	require.NoError(t, err)
	second, err := e.ListUsers.Handle(e.ctx, application.ListUsers{Actor: admin, Page: application.Page{Before: first.Next, Limit: 3}})
	require.NoError(t, err)

	assert.Equal(t, []string{"user4", "user3", "user2"}, usernames(first.Users))
	assert.Equal(t, []string{"user1", "admin"}, usernames(second.Users))
	assert.Zero(t, second.Next)
	assert.Equal(t, 5, second.Total)
}

func TestChangeRole(t *testing.T) {
	for _, to := range domain.Roles() {
		t.Run("to "+to.String(), func(t *testing.T) {
			e := newEnv(t)
			admin := e.user(t, "admin", domain.RoleAdmin)
			bob := e.user(t, "bob", domain.RoleStaff)

			err := e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: admin, UserID: bob.ID(), Role: to.String()})

			require.NoError(t, err)
			assert.Equal(t, to, e.reload(t, bob).Role())
		})
	}
}

func TestChangeRoleRefusals(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	bob := e.user(t, "bob", domain.RoleUser)

	err := e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: admin, UserID: bob.ID(), Role: "root"})
	requireValidation(t, err, domain.ValidationError{Field: "role", Code: domain.CodeInvalid})

	err = e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: admin, UserID: 404, Role: "staff"})
	assert.ErrorIs(t, err, domain.ErrUserNotFound)

	assert.Equal(t, domain.RoleUser, e.reload(t, bob).Role())
	assert.Empty(t, e.events(t, domain.KindUserRoleChanged))
}

func TestTheLastActiveAdminCannotDemoteThemself(t *testing.T) {
	for _, to := range []string{"staff", "user"} {
		t.Run("to "+to, func(t *testing.T) {
			e := newEnv(t)
			admin := e.user(t, "admin", domain.RoleAdmin)
			// An inactive admin does not count.
			retired := e.user(t, "retired", domain.RoleAdmin)
			require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: retired.ID(), Active: false}))

			err := e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: admin, UserID: admin.ID(), Role: to})

			assert.ErrorIs(t, err, domain.ErrLastAdmin)
			assert.Equal(t, domain.RoleAdmin, e.reload(t, admin).Role())
			assert.Empty(t, e.events(t, domain.KindUserRoleChanged))
		})
	}
}

func TestAnAdminMayStepDownWhenAnotherRemains(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	e.user(t, "deputy", domain.RoleAdmin)

	err := e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: admin, UserID: admin.ID(), Role: "staff"})

	require.NoError(t, err)
	assert.Equal(t, domain.RoleStaff, e.reload(t, admin).Role())
}

func TestTheLastAdminMayKeepTheirRole(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)

	err := e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: admin, UserID: admin.ID(), Role: "admin"})

	require.NoError(t, err)
	assert.Empty(t, e.events(t, domain.KindUserRoleChanged), "no change, nothing to audit")
}

func TestTheOperatorChangesAnyRole(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)

	err := e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: nil, UserID: admin.ID(), Role: "user"})

	require.NoError(t, err, "the command line is the way to recover, so it is not refused")
	assert.Equal(t, domain.RoleUser, e.reload(t, admin).Role())
	assert.Equal(t, []domain.Event{domain.UserRoleChanged{
		UserID: admin.ID(), Username: "admin", ByID: 0, ByName: "operator", From: "admin", To: "user", At: t0,
	}}, e.events(t, domain.KindUserRoleChanged))
}

func TestSetUserActive(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	bob := e.user(t, "bob", domain.RoleStaff)
	laptop, phone := e.logIn(t, bob), e.logIn(t, bob)
	adminToken := e.logIn(t, admin)

	require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: bob.ID(), Active: false}))

	assert.False(t, e.reload(t, bob).Active())
	for _, token := range []string{laptop, phone} {
		_, err := e.store.Sessions.Get(e.ctx, application.HashToken(token))
		assert.ErrorIs(t, err, domain.ErrSessionNotFound, "every session of a deactivated user ends at once")
	}
	_, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: adminToken})
	assert.NoError(t, err, "other people's sessions stay")
	_, err = e.LogIn.Handle(e.ctx, application.LogIn{Username: "bob", Password: passwordOf("bob")})
	assert.ErrorIs(t, err, domain.ErrAccountDisabled)

	require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: bob.ID(), Active: true}))

	assert.True(t, e.reload(t, bob).Active())
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: laptop})
	assert.ErrorIs(t, err, domain.ErrSessionNotFound, "reactivation does not bring old sessions back")
	_, err = e.LogIn.Handle(e.ctx, application.LogIn{Username: "bob", Password: passwordOf("bob")})
	assert.NoError(t, err, "a reactivated user logs in again")
}

func TestSetUserActiveOnAnUnknownUser(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)

	err := e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: 404, Active: false})

	assert.ErrorIs(t, err, domain.ErrUserNotFound)
}

func TestTheLastActiveAdminCannotDeactivateThemself(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	token := e.logIn(t, admin)

	err := e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: admin.ID(), Active: false})

	assert.ErrorIs(t, err, domain.ErrLastAdmin)
	assert.True(t, e.reload(t, admin).Active())
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	assert.NoError(t, err, "the session stays")
	assert.Empty(t, e.events(t, domain.KindUserActiveChanged))
}

func TestAnAdminMayDeactivateThemselfWhenAnotherRemains(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	e.user(t, "deputy", domain.RoleAdmin)
	token := e.logIn(t, admin)

	err := e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: admin.ID(), Active: false})

	require.NoError(t, err)
	assert.False(t, e.reload(t, admin).Active())
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	assert.ErrorIs(t, err, domain.ErrSessionNotFound)
}

// removals are the two ways an admin takes away another's admin rights.
var removals = []struct {
	name string
	cmd  func(e *env, actor, target *domain.User) error
}{
	{"demote", func(e *env, actor, target *domain.User) error {
		return e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: actor, UserID: target.ID(), Role: "staff"})
	}},
	{"deactivate", func(e *env, actor, target *domain.User) error {
		return e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: actor, UserID: target.ID(), Active: false})
	}},
}

// isActiveAdmin reports whether the stored u is an active admin.
func (e *env) isActiveAdmin(t *testing.T, u *domain.User) bool {
	t.Helper()
	fresh := e.reload(t, u)
	return fresh.IsAdmin() && fresh.Active()
}

// An admin's request that started before another admin demoted them still
// acts as an admin; it must not remove the admin who is left.
func TestAnAdminCannotRemoveTheOnlyOtherActiveAdmin(t *testing.T) {
	for _, first := range removals {
		for _, second := range removals {
			t.Run(first.name+" then "+second.name, func(t *testing.T) {
				e := newEnv(t)
				alpha := e.user(t, "alpha", domain.RoleAdmin)
				bravo := e.user(t, "bravo", domain.RoleAdmin)

				require.NoError(t, first.cmd(e, alpha, bravo))
				err := second.cmd(e, bravo, alpha) // bravo as loaded before

				assert.ErrorIs(t, err, domain.ErrLastAdmin)
				assert.True(t, e.isActiveAdmin(t, alpha))
				assert.False(t, e.isActiveAdmin(t, bravo))
			})
		}
	}
}

func TestTwoAdminsRemovingEachOtherAtOnceLeaveOne(t *testing.T) {
	for _, a := range removals {
		for _, b := range removals {
			t.Run(a.name+" and "+b.name, func(t *testing.T) {
				for round := range 20 {
					e := newEnv(t)
					alpha := e.user(t, "alpha", domain.RoleAdmin)
					bravo := e.user(t, "bravo", domain.RoleAdmin)

					errs := make([]error, 2)
					var wg sync.WaitGroup
					wg.Go(func() { errs[0] = a.cmd(e, alpha, bravo) })
					wg.Go(func() { errs[1] = b.cmd(e, bravo, alpha) })
					wg.Wait()

					if errs[0] == nil {
						require.ErrorIs(t, errs[1], domain.ErrLastAdmin, "round %d", round)
					} else {
						require.ErrorIs(t, errs[0], domain.ErrLastAdmin, "round %d", round)
						require.NoError(t, errs[1], "round %d", round)
					}
					require.NotEqual(t, e.isActiveAdmin(t, alpha), e.isActiveAdmin(t, bravo),
						"round %d: exactly one active admin remains", round)
				}
			})
		}
	}
}

func TestTheOperatorRestoresAnAdmin(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	require.NoError(t, e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: nil, UserID: admin.ID(), Role: "user"}))

	err := e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: nil, UserID: admin.ID(), Role: "admin"})

	require.NoError(t, err, "a desk without admins is not refused its first one")
	assert.True(t, e.isActiveAdmin(t, admin))
}

func TestListAuditLog(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	bob := e.user(t, "bob", domain.RoleUser)
	owner := e.user(t, "owner", domain.RoleUser)
	tk := e.ticket(t, owner, "not an admin action")

	e.clock.Set(t0.Add(1 * time.Minute))
	require.NoError(t, e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: admin, UserID: bob.ID(), Role: "staff"}))
	bob = e.reload(t, bob)
	require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: bob, TicketID: tk.ID(), Status: "closed"}))
	e.clock.Set(t0.Add(2 * time.Minute))
	require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: bob.ID(), Active: false}))
	e.clock.Set(t0.Add(3 * time.Minute))
	require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: bob.ID(), Active: true}))

	log, err := e.ListAuditLog.Handle(e.ctx, application.ListAuditLog{Actor: admin})

	require.NoError(t, err)
	var got []domain.Event
	for _, entry := range log {
		assert.Equal(t, fmt.Sprintf("user:%d", bob.ID()), entry.Stream)
		assert.Equal(t, entry.Event.EventKind(), entry.Kind)
		got = append(got, entry.Event)
	}
	assert.Equal(t, []domain.Event{
		domain.UserActiveChanged{UserID: bob.ID(), Username: "bob", ByID: admin.ID(), ByName: "admin", Active: true, At: t0.Add(3 * time.Minute)},
		domain.UserActiveChanged{UserID: bob.ID(), Username: "bob", ByID: admin.ID(), ByName: "admin", Active: false, At: t0.Add(2 * time.Minute)},
		domain.UserRoleChanged{UserID: bob.ID(), Username: "bob", ByID: admin.ID(), ByName: "admin", From: "user", To: "staff", At: t0.Add(1 * time.Minute)},
	}, got, "admin actions only, newest first")
	require.Len(t, log, 3)
	assert.Equal(t, t0.Add(3*time.Minute), log[0].At)
}

func TestListAuditLogPaginates(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	bob := e.user(t, "bob", domain.RoleUser)
	for _, role := range []string{"staff", "user", "staff", "admin", "user"} {
		require.NoError(t, e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: admin, UserID: bob.ID(), Role: role}))
	}

	first, err := e.ListAuditLog.Handle(e.ctx, application.ListAuditLog{Actor: admin, Limit: 2})
	require.NoError(t, err)
	require.Len(t, first, 2)
	rest, err := e.ListAuditLog.Handle(e.ctx, application.ListAuditLog{Actor: admin, Before: first[1].ID, Limit: 10})
	require.NoError(t, err)

	var to []string
	for _, entry := range append(first, rest...) {
		to = append(to, entry.Event.(domain.UserRoleChanged).To)
	}
	assert.Equal(t, []string{"user", "admin", "staff", "user", "staff"}, to)
}
