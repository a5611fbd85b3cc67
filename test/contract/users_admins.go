package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// adminCount is the contract of application.Users.UpdateCountingAdmins,
// which must never leave the desk without an active admin.
func adminCount(t *testing.T, newStore Factory) {
	t.Run("UpdateCountingAdmins counts the active admins", func(t *testing.T) {
		s := newStore(t)
		staffer := addUser(t, s, "staffer", domain.RoleStaff)
		assert.Zero(t, countAdmins(t, s, staffer.ID()))

		first := addUser(t, s, "root", domain.RoleAdmin)
		second := addUser(t, s, "root2", domain.RoleAdmin)
		retired := addUser(t, s, "retired", domain.RoleAdmin)
		user := addUser(t, s, "user", domain.RoleUser)
		require.NoError(t, s.Users.Update(ctx(t), retired.ID(), func(u *domain.User) error {
			u.SetActive(first, false, at(1))
			return nil
		}))
		for _, u := range []*domain.User{first, second, retired, staffer, user} {
			assert.Equal(t, 2, countAdmins(t, s, u.ID()), "an inactive admin does not count; seen from %s", u.Username())
		}

		require.NoError(t, s.Users.UpdateCountingAdmins(ctx(t), second.ID(), func(u *domain.User, _ int) error {
			u.SetActive(first, false, at(2))
			return nil
		}))
		assert.Equal(t, 1, countAdmins(t, s, first.ID()))
		got, err := s.Users.Get(ctx(t), second.ID())
		require.NoError(t, err)
		assert.False(t, got.Active(), "the change is saved")
		assert.Len(t, events(t, s, domain.KindUserActiveChanged), 2, "with its event")
	})

	t.Run("a failing UpdateCountingAdmins changes nothing", func(t *testing.T) {
		s := newStore(t)
		admin := addUser(t, s, "admin", domain.RoleAdmin)

		err := s.Users.UpdateCountingAdmins(ctx(t), admin.ID(), func(u *domain.User, _ int) error {
			u.ChangeRole(admin, domain.RoleUser, at(1))
			return domain.ErrLastAdmin
		})

		assert.ErrorIs(t, err, domain.ErrLastAdmin)
		assert.Equal(t, 1, activeAdmins(t, s))
		assert.Empty(t, events(t, s))

		called := false
		err = s.Users.UpdateCountingAdmins(ctx(t), 999999, func(*domain.User, int) error { called = true; return nil })
		assert.ErrorIs(t, err, domain.ErrUserNotFound)
		assert.False(t, called)
	})

	// Two admins at once each take away the other's (or their own) admin
	// rights: the count and the change must be one step, or both see two
	// admins and the desk is left with none. Several rounds, so that a race
	// shows.
	t.Run("two admins removing admins at once: exactly one succeeds", func(t *testing.T) {
		demote := func(by *domain.User) func(*domain.User) {
			return func(u *domain.User) { u.ChangeRole(by, domain.RoleStaff, at(1)) }
		}
		deactivate := func(by *domain.User) func(*domain.User) {
			return func(u *domain.User) { u.SetActive(by, false, at(1)) }
		}
		type move struct {
			by, on int // 0 is alpha, 1 is bravo
			take   func(by *domain.User) func(*domain.User)
		}
		for _, tc := range []struct {
			name  string
			moves [2]move
		}{
			{"each demotes the other", [2]move{{0, 1, demote}, {1, 0, demote}}},
			{"each deactivates the other", [2]move{{0, 1, deactivate}, {1, 0, deactivate}}},
			{"one demotes, the other deactivates", [2]move{{0, 1, demote}, {1, 0, deactivate}}},
			{"each demotes themself", [2]move{{0, 0, demote}, {1, 1, demote}}},
			{"each deactivates themself", [2]move{{0, 0, deactivate}, {1, 1, deactivate}}},
			{"one steps down, the other deactivates themself", [2]move{{0, 0, demote}, {1, 1, deactivate}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := newStore(t)
				admins := []*domain.User{addUser(t, s, "alpha", domain.RoleAdmin), addUser(t, s, "bravo", domain.RoleAdmin)}
				for round := range 20 {
					errs := runConcurrently(2, func(i int) error {
						m := tc.moves[i]
						return s.Users.UpdateCountingAdmins(ctx(t), admins[m.on].ID(), keepingAnAdmin(m.take(admins[m.by])))
					})

					ok := 0
					for _, err := range errs {
						if err == nil {
							ok++
							continue
						}
						require.ErrorIs(t, err, domain.ErrLastAdmin, "round %d", round)
					}
					require.Equal(t, 1, ok, "round %d: exactly one succeeds", round)
					require.Equal(t, 1, activeAdmins(t, s), "round %d: one active admin remains", round)

					for _, admin := range admins { // both admins again for the next round
						require.NoError(t, s.Users.Update(ctx(t), admin.ID(), func(u *domain.User) error {
							u.ChangeRole(admins[0], domain.RoleAdmin, at(2))
							u.SetActive(admins[0], true, at(2))
							return nil
						}))
					}
				}
			})
		}
	})

}

// keepingAnAdmin returns a function for UpdateCountingAdmins that applies
// change, which takes away the user's admin rights, unless no active admin
// would remain: the rule ChangeRole and SetUserActive keep.
func keepingAnAdmin(change func(u *domain.User)) func(*domain.User, int) error {
	return func(u *domain.User, activeAdmins int) error {
		if u.IsAdmin() && u.Active() && activeAdmins <= 1 {
			return domain.ErrLastAdmin
		}
		change(u)
		return nil
	}
}

// countAdmins returns the activeAdmins UpdateCountingAdmins gives for the
// user id, changing nothing.
func countAdmins(t *testing.T, s Store, id int64) int {
	t.Helper()
	n := -1
	require.NoError(t, s.Users.UpdateCountingAdmins(ctx(t), id, func(_ *domain.User, activeAdmins int) error {
		n = activeAdmins
		return nil
	}))
	return n
}

// activeAdmins returns how many active admins are stored.
func activeAdmins(t *testing.T, s Store) int {
	t.Helper()
	page, err := s.Users.List(ctx(t), application.UserFilter{Roles: []domain.Role{domain.RoleAdmin}, ActiveOnly: true})
	require.NoError(t, err)
	return page.Total
}
