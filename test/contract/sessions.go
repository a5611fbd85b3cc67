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
}
