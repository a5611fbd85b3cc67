package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// Sessions is the contract of application.Sessions.
func Sessions(t *testing.T, newStore Factory) {
	moscow := time.FixedZone("MSK", 3*60*60)
	session := func(hash string, userID int64) domain.Session {
		created := time.Date(2024, 3, 1, 12, 0, 0, 987654321, moscow) // not UTC, finer than a microsecond
		return domain.Session{TokenHash: hash, UserID: userID, CreatedAt: created, ExpiresAt: created.Add(30 * 24 * time.Hour)}
	}

	t.Run("Create then Get returns the session in UTC", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		want := session("hash-1", u.ID())

		require.NoError(t, s.Sessions.Create(ctx(t), want))

		got, err := s.Sessions.Get(ctx(t), "hash-1")
		require.NoError(t, err)
		assert.Equal(t, "hash-1", got.TokenHash)
		assert.Equal(t, u.ID(), got.UserID)
		assertTime(t, want.CreatedAt, got.CreatedAt)
		assertTime(t, want.ExpiresAt, got.ExpiresAt)
		assert.False(t, got.Expired(want.ExpiresAt.Add(-time.Second)))
		assert.True(t, got.Expired(want.ExpiresAt))
	})

	t.Run("a session keeps its browser, address and last use", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		want := session("hash-1", u.ID())
		want.UserAgent, want.Address, want.LastSeenAt = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 «тест»", "2001:db8::1", want.CreatedAt
		require.NoError(t, s.Sessions.Create(ctx(t), want))
		require.NoError(t, s.Sessions.Create(ctx(t), session("hash-2", u.ID())))

		got, err := s.Sessions.Get(ctx(t), "hash-1")
		require.NoError(t, err)
		assert.Equal(t, want.UserAgent, got.UserAgent)
		assert.Equal(t, want.Address, got.Address)
		assertTime(t, want.LastSeenAt, got.LastSeenAt)
		withUser, _, err := s.Sessions.GetWithUser(ctx(t), "hash-1")
		require.NoError(t, err)
		assertTime(t, want.LastSeenAt, withUser.LastSeenAt)
		old, err := s.Sessions.Get(ctx(t), "hash-2")
		require.NoError(t, err)
		assert.True(t, old.LastSeenAt.IsZero(), "not seen: zero")
		assert.Empty(t, old.UserAgent)
	})

	t.Run("Touch moves LastSeenAt forward only", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.Sessions.Create(ctx(t), session("h", u.ID())))

		require.NoError(t, s.Sessions.Touch(ctx(t), "h", at(5)))
		got, err := s.Sessions.Get(ctx(t), "h")
		require.NoError(t, err)
		assertTime(t, at(5), got.LastSeenAt)
		require.NoError(t, s.Sessions.Touch(ctx(t), "h", at(3)))
		got, err = s.Sessions.Get(ctx(t), "h")
		require.NoError(t, err)
		assertTime(t, at(5), got.LastSeenAt, "never back")
		require.NoError(t, s.Sessions.Touch(ctx(t), "unknown", at(6)), "an unknown hash is fine")
	})

	t.Run("ListForUser lists that user's sessions, newest first", func(t *testing.T) {
		s := newStore(t)
		a := addUser(t, s, "alice", domain.RoleUser)
		b := addUser(t, s, "bob", domain.RoleUser)
		for i, hash := range []string{"a-old", "a-new", "b"} {
			sess := session(hash, a.ID())
			if hash == "b" {
				sess.UserID = b.ID()
			}
			sess.CreatedAt = at(i)
			require.NoError(t, s.Sessions.Create(ctx(t), sess))
		}

		got, err := s.Sessions.ListForUser(ctx(t), a.ID())
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, []string{"a-new", "a-old"}, []string{got[0].TokenHash, got[1].TokenHash})
		assertTime(t, at(1), got[0].CreatedAt)
		none, err := s.Sessions.ListForUser(ctx(t), 999999)
		require.NoError(t, err)
		assert.Empty(t, none)
	})

	t.Run("GetWithUser returns the session and its user as stored now", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		want := session("hash-1", u.ID())
		require.NoError(t, s.Sessions.Create(ctx(t), want))
		require.NoError(t, s.Users.Update(ctx(t), u.ID(), func(u *domain.User) error {
			u.ChangeRole(u, domain.RoleStaff, at(1))
			u.SetStaffAlerts(true, false)
			return nil
		}))

		got, user, err := s.Sessions.GetWithUser(ctx(t), "hash-1")
		require.NoError(t, err)
		assert.Equal(t, u.ID(), got.UserID)
		assertTime(t, want.CreatedAt, got.CreatedAt)
		assertTime(t, want.ExpiresAt, got.ExpiresAt)
		assert.Equal(t, u.ID(), user.ID())
		assert.Equal(t, "alice", user.Username())
		assert.Equal(t, domain.RoleStaff, user.Role())
		assertTime(t, u.CreatedAt(), user.CreatedAt())
		assert.True(t, user.AlertsNewTickets())
		assert.False(t, user.AlertsOwnerReplies())
		assert.Empty(t, user.PasswordHash(), "a request's user carries no password hash")
		stored, err := s.Users.Get(ctx(t), u.ID())
		require.NoError(t, err)
		assert.NotEmpty(t, stored.PasswordHash(), "the stored hash is kept")

		_, _, err = s.Sessions.GetWithUser(ctx(t), "nope")
		assert.ErrorIs(t, err, domain.ErrSessionNotFound)
	})

	t.Run("an unknown session is not found", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Sessions.Get(ctx(t), "nope")
		assert.ErrorIs(t, err, domain.ErrSessionNotFound)
	})

	t.Run("a token hash is stored once", func(t *testing.T) {
		s := newStore(t)
		a := addUser(t, s, "alice", domain.RoleUser)
		b := addUser(t, s, "bob", domain.RoleUser)
		require.NoError(t, s.Sessions.Create(ctx(t), session("same", a.ID())))

		assert.Error(t, s.Sessions.Create(ctx(t), session("same", b.ID())))

		got, err := s.Sessions.Get(ctx(t), "same")
		require.NoError(t, err)
		assert.Equal(t, a.ID(), got.UserID)
	})

	t.Run("Delete ends one session; an unknown one is fine", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.Sessions.Create(ctx(t), session("one", u.ID())))
		require.NoError(t, s.Sessions.Create(ctx(t), session("two", u.ID())))

		require.NoError(t, s.Sessions.Delete(ctx(t), "one"))
		require.NoError(t, s.Sessions.Delete(ctx(t), "one"))
		require.NoError(t, s.Sessions.Delete(ctx(t), "never"))

		_, err := s.Sessions.Get(ctx(t), "one")
		assert.ErrorIs(t, err, domain.ErrSessionNotFound)
		_, err = s.Sessions.Get(ctx(t), "two")
		assert.NoError(t, err)
	})

	t.Run("DeleteForUser ends that user's sessions only", func(t *testing.T) {
		s := newStore(t)
		a := addUser(t, s, "alice", domain.RoleUser)
		b := addUser(t, s, "bob", domain.RoleUser)
		for _, sess := range []domain.Session{session("a1", a.ID()), session("a2", a.ID()), session("b1", b.ID())} {
			require.NoError(t, s.Sessions.Create(ctx(t), sess))
		}

		require.NoError(t, s.Sessions.DeleteForUser(ctx(t), a.ID()))
		require.NoError(t, s.Sessions.DeleteForUser(ctx(t), 999999))

		for _, hash := range []string{"a1", "a2"} {
			_, err := s.Sessions.Get(ctx(t), hash)
			assert.ErrorIs(t, err, domain.ErrSessionNotFound, hash)
		}
		_, err := s.Sessions.Get(ctx(t), "b1")
		assert.NoError(t, err)
	})

	t.Run("DeleteOthers ends that user's sessions but the one kept", func(t *testing.T) {
		s := newStore(t)
		a := addUser(t, s, "alice", domain.RoleUser)
		b := addUser(t, s, "bob", domain.RoleUser)
		for _, sess := range []domain.Session{session("a1", a.ID()), session("a2", a.ID()), session("a3", a.ID()), session("b1", b.ID())} {
			require.NoError(t, s.Sessions.Create(ctx(t), sess))
		}

		n, err := s.Sessions.DeleteOthers(ctx(t), a.ID(), "a2")
		require.NoError(t, err)
		assert.Equal(t, 2, n)
		n, err = s.Sessions.DeleteOthers(ctx(t), a.ID(), "b1")
		require.NoError(t, err)
		assert.Equal(t, 1, n, "another user's hash keeps nothing of alice's")

		for _, hash := range []string{"a1", "a2", "a3"} {
			_, err := s.Sessions.Get(ctx(t), hash)
			assert.ErrorIs(t, err, domain.ErrSessionNotFound, hash)
		}
		_, err = s.Sessions.Get(ctx(t), "b1")
		assert.NoError(t, err, "bob's session stays")
	})

	t.Run("DeleteOthers keeps the session named", func(t *testing.T) {
		s := newStore(t)
		a := addUser(t, s, "alice", domain.RoleUser)
		for _, sess := range []domain.Session{session("a1", a.ID()), session("a2", a.ID())} {
			require.NoError(t, s.Sessions.Create(ctx(t), sess))
		}
		n, err := s.Sessions.DeleteOthers(ctx(t), a.ID(), "a1")
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		_, err = s.Sessions.Get(ctx(t), "a1")
		assert.NoError(t, err)
	})

	// expiring returns a session of userID that is over at expires.
	expiring := func(hash string, userID int64, expires time.Time) domain.Session {
		return domain.Session{TokenHash: hash, UserID: userID, CreatedAt: expires.Add(-30 * 24 * time.Hour), ExpiresAt: expires}
	}

	t.Run("DeleteExpired deletes the sessions over at now, of every user", func(t *testing.T) {
		s := newStore(t)
		a := addUser(t, s, "alice", domain.RoleUser)
		b := addUser(t, s, "bob", domain.RoleUser)
		now := base // finer than a microsecond: adapters compare at their precision
		for _, sess := range []domain.Session{
			expiring("long-gone", a.ID(), now.Add(-24*time.Hour)),
			expiring("just-over", b.ID(), now.Add(-time.Microsecond)),
			expiring("over-now", a.ID(), now),
			expiring("last-microsecond", b.ID(), now.Add(time.Microsecond)),
			expiring("live", a.ID(), now.Add(time.Hour)),
		} {
			require.NoError(t, s.Sessions.Create(ctx(t), sess))
		}

		n, err := s.Sessions.DeleteExpired(ctx(t), now)
		require.NoError(t, err)
		assert.Equal(t, 3, n)

		for _, hash := range []string{"long-gone", "just-over", "over-now"} {
			_, err := s.Sessions.Get(ctx(t), hash)
			assert.ErrorIs(t, err, domain.ErrSessionNotFound, hash)
		}
		for _, hash := range []string{"last-microsecond", "live"} {
			_, err := s.Sessions.Get(ctx(t), hash)
			assert.NoError(t, err, hash)
		}

		n, err = s.Sessions.DeleteExpired(ctx(t), now)
		require.NoError(t, err)
		assert.Zero(t, n, "nothing is left to delete")
	})

	t.Run("DeleteExpired on no sessions deletes nothing", func(t *testing.T) {
		s := newStore(t)
		n, err := s.Sessions.DeleteExpired(ctx(t), base)
		require.NoError(t, err)
		assert.Zero(t, n)
	})

	t.Run("concurrent DeleteExpired calls delete each session once", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		const expired = 20
		for i := range expired {
			require.NoError(t, s.Sessions.Create(ctx(t), expiring("old-"+itoa(int64(i)), u.ID(), at(-i-1))))
		}
		require.NoError(t, s.Sessions.Create(ctx(t), expiring("live", u.ID(), at(60))))

		counts := make([]int, 4)
		errs := runConcurrently(len(counts), func(i int) error {
			n, err := s.Sessions.DeleteExpired(ctx(t), base)
			counts[i] = n
			return err
		})

		total := 0
		for i, err := range errs {
			require.NoError(t, err)
			total += counts[i]
		}
		assert.Equal(t, expired, total)
		_, err := s.Sessions.Get(ctx(t), "live")
		assert.NoError(t, err)
	})
}
