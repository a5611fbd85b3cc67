package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// Users is the contract of application.Users.
func Users(t *testing.T, newStore Factory) {
	t.Run("Add sets an id and Get returns the stored user", func(t *testing.T) {
		s := newStore(t)
		u, err := domain.NewUser("Alice", "hash", domain.RoleStaff, base)
		require.NoError(t, err)

		require.NoError(t, s.Users.Add(ctx(t), u))

		require.NotZero(t, u.ID())
		got, err := s.Users.Get(ctx(t), u.ID())
		require.NoError(t, err)
		assert.Equal(t, u.ID(), got.ID())
		assert.Equal(t, "Alice", got.Username())
		assert.Equal(t, "hash", got.PasswordHash())
		assert.Equal(t, domain.RoleStaff, got.Role())
		assert.True(t, got.Active())
		_, linked := got.TelegramChatID()
		assert.False(t, linked)
		assert.Empty(t, got.Language())
		assertTime(t, base, got.CreatedAt())
		assert.Empty(t, got.Events(), "a loaded user has no new events")
	})

	t.Run("staff alerts are on by default and each switch is kept", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "staffer", domain.RoleStaff)
		got, err := s.Users.Get(ctx(t), u.ID())
		require.NoError(t, err)
		assert.True(t, got.AlertsNewTickets())
		assert.True(t, got.AlertsOwnerReplies())

		for _, c := range []struct{ newTickets, ownerReplies bool }{{false, true}, {true, false}, {false, false}, {true, true}} {
			require.NoError(t, s.Users.Update(ctx(t), u.ID(), func(u *domain.User) error {
				u.SetStaffAlerts(c.newTickets, c.ownerReplies)
				return nil
			}))
			got, err := s.Users.Get(ctx(t), u.ID())
			require.NoError(t, err)
			assert.Equal(t, c.newTickets, got.AlertsNewTickets())
			assert.Equal(t, c.ownerReplies, got.AlertsOwnerReplies())
		}

		quiet, err := domain.NewUser("quiet", "hash", domain.RoleStaff, base)
		require.NoError(t, err)
		quiet.SetStaffAlerts(false, false)
		require.NoError(t, s.Users.Add(ctx(t), quiet))
		got, err = s.Users.Get(ctx(t), quiet.ID())
		require.NoError(t, err)
		assert.False(t, got.AlertsNewTickets(), "a new user's switches are stored as given")
		assert.False(t, got.AlertsOwnerReplies())
	})

	t.Run("ids are sequential", func(t *testing.T) {
		s := newStore(t)
		a := addUser(t, s, "first", domain.RoleUser)
		b := addUser(t, s, "second", domain.RoleUser)
		c := addUser(t, s, "third", domain.RoleUser)
		assert.Less(t, a.ID(), b.ID())
		assert.Less(t, b.ID(), c.ID())
	})

	t.Run("GetByUsername ignores case", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "Alice", domain.RoleUser)
		olga := addUser(t, s, "Ольга", domain.RoleUser)
		for name, want := range map[string]*domain.User{
			"Alice": alice, "alice": alice, "ALICE": alice, "Ольга": olga, "ольга": olga, "ОЛЬГА": olga,
		} {
			got, err := s.Users.GetByUsername(ctx(t), name)
			require.NoError(t, err, name)
			assert.Equal(t, want.ID(), got.ID(), name)
			assert.Equal(t, want.Username(), got.Username(), "the username keeps its case")
		}
	})

	t.Run("a username taken in another case is refused", func(t *testing.T) {
		s := newStore(t)
		addUser(t, s, "Bob", domain.RoleUser)
		for _, name := range []string{"Bob", "bob", "BOB"} {
			u, err := domain.NewUser(name, "other hash", domain.RoleAdmin, base)
			require.NoError(t, err)
			err = s.Users.Add(ctx(t), u)
			assert.ErrorIs(t, err, domain.ErrUsernameTaken, name)
		}
		page, err := s.Users.List(ctx(t), application.UserFilter{})
		require.NoError(t, err)
		assert.Equal(t, 1, page.Total)
		got, err := s.Users.GetByUsername(ctx(t), "bob")
		require.NoError(t, err)
		assert.Equal(t, "hash of Bob", got.PasswordHash())
	})

	t.Run("unknown users are not found", func(t *testing.T) {
		s := newStore(t)
		addUser(t, s, "someone", domain.RoleUser)
		_, err := s.Users.Get(ctx(t), 999999)
		assert.ErrorIs(t, err, domain.ErrUserNotFound)
		_, err = s.Users.GetByUsername(ctx(t), "nobody")
		assert.ErrorIs(t, err, domain.ErrUserNotFound)
		_, err = s.Users.GetByTelegramChat(ctx(t), 42)
		assert.ErrorIs(t, err, domain.ErrUserNotFound)
		_, err = s.Users.GetByTelegramChat(ctx(t), 0)
		assert.ErrorIs(t, err, domain.ErrUserNotFound, "chat 0 means not linked")
		called := false
		err = s.Users.Update(ctx(t), 999999, func(*domain.User) error { called = true; return nil })
		assert.ErrorIs(t, err, domain.ErrUserNotFound)
		assert.False(t, called)
	})

	t.Run("Update persists every change and stores the events", func(t *testing.T) {
		s := newStore(t)
		admin := addUser(t, s, "admin", domain.RoleAdmin)
		u := addUser(t, s, "carol", domain.RoleUser)

		require.NoError(t, s.Users.Update(ctx(t), u.ID(), func(u *domain.User) error {
			u.ChangeRole(admin, domain.RoleStaff, at(1))
			u.SetActive(admin, false, at(2))
			u.LinkTelegram(777, at(3))
			u.SetPasswordHash("new hash")
			return u.SetLanguage("ru")
		}))

		got, err := s.Users.Get(ctx(t), u.ID())
		require.NoError(t, err)
		assert.Equal(t, domain.RoleStaff, got.Role())
		assert.False(t, got.Active())
		chat, linked := got.TelegramChatID()
		assert.True(t, linked)
		assert.Equal(t, int64(777), chat)
		assert.Equal(t, "new hash", got.PasswordHash())
		assert.Equal(t, "ru", got.Language())
		assertTime(t, base, got.CreatedAt(), "the created time does not change")
		byChat, err := s.Users.GetByTelegramChat(ctx(t), 777)
		require.NoError(t, err)
		assert.Equal(t, u.ID(), byChat.ID())

		stored := events(t, s)
		require.Equal(t, []string{domain.KindTelegramLinked, domain.KindUserActiveChanged, domain.KindUserRoleChanged}, kindsOf(stored))
		for _, e := range stored {
			assert.Equal(t, "user:"+itoa(u.ID()), e.Stream)
		}
		role, ok := stored[2].Event.(domain.UserRoleChanged)
		require.True(t, ok, "%T", stored[2].Event)
		assert.Equal(t, domain.UserRoleChanged{UserID: u.ID(), Username: "carol", ByID: admin.ID(), ByName: "admin",
			From: "user", To: "staff", At: at(1)}, role)
		assertTime(t, at(1), stored[2].At)
	})

	t.Run("a failing Update changes nothing and stores no events", func(t *testing.T) {
		s := newStore(t)
		admin := addUser(t, s, "admin", domain.RoleAdmin)
		u := addUser(t, s, "dave", domain.RoleUser)

		err := s.Users.Update(ctx(t), u.ID(), func(u *domain.User) error {
			u.ChangeRole(admin, domain.RoleAdmin, at(1))
			u.LinkTelegram(555, at(1))
			return errBoom
		})

		assert.ErrorIs(t, err, errBoom)
		got, err := s.Users.Get(ctx(t), u.ID())
		require.NoError(t, err)
		assert.Equal(t, domain.RoleUser, got.Role())
		_, linked := got.TelegramChatID()
		assert.False(t, linked)
		assert.Empty(t, events(t, s))
		assert.Equal(t, 1, activeAdmins(t, s))
	})

	t.Run("a returned user is a copy", func(t *testing.T) {
		s := newStore(t)
		admin := addUser(t, s, "admin", domain.RoleAdmin)
		u := addUser(t, s, "erin", domain.RoleUser)

		got, err := s.Users.Get(ctx(t), u.ID())
		require.NoError(t, err)
		got.ChangeRole(admin, domain.RoleAdmin, at(1))
		got.SetPasswordHash("changed")
		u.SetPasswordHash("changed too") // the added value, after Add

		again, err := s.Users.Get(ctx(t), u.ID())
		require.NoError(t, err)
		assert.Equal(t, domain.RoleUser, again.Role())
		assert.Equal(t, "hash of erin", again.PasswordHash())
	})

	t.Run("one Telegram chat belongs to one user", func(t *testing.T) {
		s := newStore(t)
		a := addUser(t, s, "frank", domain.RoleUser)
		b := addUser(t, s, "grace", domain.RoleUser)
		link := func(u *domain.User) error { u.LinkTelegram(4242, at(1)); return nil }
		require.NoError(t, s.Users.Update(ctx(t), a.ID(), link))

		err := s.Users.Update(ctx(t), b.ID(), link)

		require.Error(t, err)
		got, err := s.Users.GetByTelegramChat(ctx(t), 4242)
		require.NoError(t, err)
		assert.Equal(t, a.ID(), got.ID())
		assert.Len(t, events(t, s, domain.KindTelegramLinked), 1, "the refused link stored no event")

		// Once unlinked, the chat is free again.
		require.NoError(t, s.Users.Update(ctx(t), a.ID(), func(u *domain.User) error { u.UnlinkTelegram(); return nil }))
		_, err = s.Users.GetByTelegramChat(ctx(t), 4242)
		assert.ErrorIs(t, err, domain.ErrUserNotFound)
		require.NoError(t, s.Users.Update(ctx(t), b.ID(), link))
		got, err = s.Users.GetByTelegramChat(ctx(t), 4242)
		require.NoError(t, err)
		assert.Equal(t, b.ID(), got.ID())
	})

	t.Run("concurrent sign-ups with one name: exactly one wins", func(t *testing.T) {
		s := newStore(t)
		errs := runConcurrently(10, func(i int) error {
			u, err := domain.NewUser([]string{"Zed", "zed", "ZED"}[i%3], "hash", domain.RoleUser, base)
			if err != nil {
				return err
			}
			return s.Users.Add(ctx(t), u)
		})
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
				continue
			}
			assert.ErrorIs(t, err, domain.ErrUsernameTaken)
		}
		assert.Equal(t, 1, ok)
	})

	userList(t, newStore)
	adminCount(t, newStore)
}

func userIDs(us []*domain.User) []int64 {
	out := []int64{}
	for _, u := range us {
		out = append(out, u.ID())
	}
	return out
}

// descending reports whether ids are in strictly decreasing order.
func descending(ids []int64) bool {
	for i := 1; i < len(ids); i++ {
		if ids[i] >= ids[i-1] {
			return false
		}
	}
	return true
}
