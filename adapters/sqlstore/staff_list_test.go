package sqlstore_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
	"crm/test/dbtest"
)

// The staff list every queue page shows is kept for a second: a role
// changed through the same Users shows at once, one changed by another
// replica (or the command line) within a second or so.
func TestStaffListChangedElsewhereShowsWithinASecond(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	here := sqlstore.NewUsers(sqlstore.New(db, sqlstore.SQLite))
	there := sqlstore.NewUsers(sqlstore.New(db, sqlstore.SQLite))
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(name string, role domain.Role) *domain.User {
		u, err := domain.NewUser(name, "hash", role, now)
		require.NoError(t, err)
		require.NoError(t, here.Add(t.Context(), u))
		return u
	}
	admin := add("admin_one", domain.RoleAdmin)
	person := add("person_one", domain.RoleUser)
	other := add("person_two", domain.RoleUser)
	staff := func(u *sqlstore.Users) []string {
		t.Helper()
		p, err := u.List(t.Context(), application.UserFilter{
			Roles: []domain.Role{domain.RoleStaff, domain.RoleAdmin}, ActiveOnly: true,
			Page: application.Page{Limit: application.MaxPageSize},
		})
		require.NoError(t, err)
		names := make([]string, len(p.Users))
		for i, u := range p.Users {
			names[i] = u.Username()
		}
		return names
	}
	promote := func(u *sqlstore.Users, who *domain.User) {
		require.NoError(t, u.Update(t.Context(), who.ID(), func(u *domain.User) error {
			u.ChangeRole(admin, domain.RoleStaff, now)
			return nil
		}))
	}

	assert.Equal(t, []string{"admin_one"}, staff(here))
	assert.Equal(t, []string{"admin_one"}, staff(there))

	promote(here, person)
	assert.Equal(t, []string{"person_one", "admin_one"}, staff(here), "changed here, shown here at once")

	promote(there, other)
	assert.Equal(t, []string{"person_two", "person_one", "admin_one"}, staff(there), "changed there, shown there at once")
	assert.Eventually(t, func() bool { return len(staff(here)) == 3 }, 5*time.Second, 50*time.Millisecond,
		"changed by another replica, shown here within a second or so")
}
