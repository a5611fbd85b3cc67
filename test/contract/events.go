package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// EventLog is the contract of application.EventLog, fed through the Users
// and Tickets repositories that store the events.
func EventLog(t *testing.T, newStore Factory) {
	t.Run("no events", func(t *testing.T) {
		s := newStore(t)
		got, err := s.Events.ListEvents(ctx(t), []string{domain.KindUserRoleChanged}, 0, 10)
		require.NoError(t, err)
		assert.Empty(t, got)
	})

	// seed stores, oldest first: role changes and active changes of one
	// user, interleaved with ticket events.
	seed := func(t *testing.T, s Store) (*domain.User, *domain.User) {
		admin := addUser(t, s, "admin", domain.RoleAdmin)
		u := addUser(t, s, "carol", domain.RoleUser)
		roles := []domain.Role{domain.RoleStaff, domain.RoleUser}
		for i := range 6 {
			require.NoError(t, s.Users.Update(ctx(t), u.ID(), func(u *domain.User) error {
				u.ChangeRole(admin, roles[i%2], at(i))
				u.SetActive(admin, i%2 == 1, at(i))
				return nil
			}))
			addTicket(t, s, u, "ticket", "text", domain.TypeService, at(i))
		}
		return admin, u
	}

	t.Run("kinds select, newest first, with ids", func(t *testing.T) {
		s := newStore(t)
		admin, u := seed(t, s)

		got, err := s.Events.ListEvents(ctx(t), []string{domain.KindUserRoleChanged}, 0, 100)

		require.NoError(t, err)
		require.Len(t, got, 6)
		for i, e := range got {
			assert.Equal(t, domain.KindUserRoleChanged, e.Kind)
			assert.NotZero(t, e.ID)
			if i > 0 {
				assert.Less(t, e.ID, got[i-1].ID, "newest first")
			}
		}
		newest := got[0]
		assert.Equal(t, "user:"+itoa(u.ID()), newest.Stream)
		assert.Equal(t, domain.UserRoleChanged{UserID: u.ID(), Username: "carol", ByID: admin.ID(), ByName: "admin",
			From: "staff", To: "user", At: at(5)}, newest.Event)
		assertTime(t, at(5), newest.At)

		both, err := s.Events.ListEvents(ctx(t), []string{domain.KindUserRoleChanged, domain.KindUserActiveChanged}, 0, 100)
		require.NoError(t, err)
		assert.Len(t, both, 12)
		for _, e := range both {
			assert.Contains(t, []string{domain.KindUserRoleChanged, domain.KindUserActiveChanged}, e.Kind)
		}
		active, ok := both[0].Event.(domain.UserActiveChanged)
		require.True(t, ok, "%T", both[0].Event)
		assert.True(t, active.Active)
	})

	t.Run("before and limit page through", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		kinds := []string{domain.KindUserRoleChanged, domain.KindUserActiveChanged}
		all, err := s.Events.ListEvents(ctx(t), kinds, 0, 100)
		require.NoError(t, err)
		require.Len(t, all, 12)

		var paged []domain.StoredEvent
		before := int64(0)
		for range 10 {
			page, err := s.Events.ListEvents(ctx(t), kinds, before, 5)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page), 5)
			paged = append(paged, page...)
			if len(page) < 5 {
				break
			}
			before = page[len(page)-1].ID
		}
		assert.Equal(t, eventIDs(all), eventIDs(paged))
	})

	t.Run("no kinds select every kind", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		got, err := s.Events.ListEvents(ctx(t), nil, 0, 100)
		require.NoError(t, err)
		assert.Len(t, got, 18)
		assert.Equal(t, domain.KindTicketSubmitted, got[0].Kind)
	})
}

func eventIDs(es []domain.StoredEvent) []int64 {
	out := []int64{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}
