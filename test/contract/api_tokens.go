package contract

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// APITokens is the contract of application.APITokens.
func APITokens(t *testing.T, newStore Factory) {
	create := func(t *testing.T, s Store, u *domain.User, hash, name string, at time.Time) domain.APIToken {
		t.Helper()
		tok := domain.APIToken{TokenHash: hash, UserID: u.ID(), Name: name, CreatedAt: at}
		require.NoError(t, s.APITokens.Create(t.Context(), &tok))
		require.NotZero(t, tok.ID, "Create sets the id")
		return tok
	}

	t.Run("Create then Get returns the token in UTC, never used", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		made := create(t, s, u, "h1", "deploy script", atMoscow(0))

		got, err := s.APITokens.Get(t.Context(), "h1")
		require.NoError(t, err)
		assert.Equal(t, domain.APIToken{ID: made.ID, TokenHash: "h1", UserID: u.ID(), Name: "deploy script",
			CreatedAt: micro(atMoscow(0))}, got)
		assert.Equal(t, time.UTC, got.CreatedAt.Location())
		assert.True(t, got.LastUsedAt.IsZero())
	})

	t.Run("ids are sequential", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		a := create(t, s, u, "a", "a", atMoscow(0))
		b := create(t, s, u, "b", "b", atMoscow(1))
		assert.Greater(t, b.ID, a.ID)
	})

	t.Run("an unknown hash is not found", func(t *testing.T) {
		s := newStore(t)
		_, err := s.APITokens.Get(t.Context(), "nope")
		assert.ErrorIs(t, err, domain.ErrAPITokenNotFound)
	})

	t.Run("a hash is stored once", func(t *testing.T) {
		s := newStore(t)
		alice, bob := addUser(t, s, "alice", domain.RoleUser), addUser(t, s, "bob", domain.RoleUser)
		create(t, s, alice, "same", "first", atMoscow(0))
		tok := domain.APIToken{TokenHash: "same", UserID: bob.ID(), Name: "second", CreatedAt: atMoscow(1)}
		assert.Error(t, s.APITokens.Create(t.Context(), &tok))

		got, err := s.APITokens.Get(t.Context(), "same")
		require.NoError(t, err)
		assert.Equal(t, alice.ID(), got.UserID)
	})

	t.Run("Touch moves LastUsedAt forward only", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		create(t, s, u, "h", "t", atMoscow(0))

		require.NoError(t, s.APITokens.Touch(t.Context(), "h", atMoscow(5)))
		got, err := s.APITokens.Get(t.Context(), "h")
		require.NoError(t, err)
		assert.Equal(t, micro(atMoscow(5)), got.LastUsedAt)
		assert.Equal(t, time.UTC, got.LastUsedAt.Location())

		require.NoError(t, s.APITokens.Touch(t.Context(), "h", atMoscow(3)))
		got, err = s.APITokens.Get(t.Context(), "h")
		require.NoError(t, err)
		assert.Equal(t, micro(atMoscow(5)), got.LastUsedAt, "never back")

		require.NoError(t, s.APITokens.Touch(t.Context(), "unknown", atMoscow(6)), "an unknown hash is fine")
	})

	t.Run("of concurrent touches the latest stays", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		create(t, s, u, "h", "t", atMoscow(0))
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range 8 {
			wg.Go(func() { errs[i] = s.APITokens.Touch(t.Context(), "h", atMoscow(i+1)) })
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		got, err := s.APITokens.Get(t.Context(), "h")
		require.NoError(t, err)
		assert.Equal(t, micro(atMoscow(8)), got.LastUsedAt)
	})

	t.Run("ListForUser lists that user's tokens, newest first", func(t *testing.T) {
		s := newStore(t)
		alice, bob := addUser(t, s, "alice", domain.RoleUser), addUser(t, s, "bob", domain.RoleUser)
		first := create(t, s, alice, "a1", "laptop", atMoscow(0))
		create(t, s, bob, "b1", "bob's", atMoscow(1))
		second := create(t, s, alice, "a2", "ci", atMoscow(2))

		got, err := s.APITokens.ListForUser(t.Context(), alice.ID())
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, []int64{second.ID, first.ID}, []int64{got[0].ID, got[1].ID})
		assert.Equal(t, "ci", got[0].Name)
		assert.Equal(t, micro(atMoscow(2)), got[0].CreatedAt)

		none, err := s.APITokens.ListForUser(t.Context(), 999999)
		require.NoError(t, err)
		assert.Empty(t, none)
	})

	t.Run("Delete revokes one token of its user, not someone else's", func(t *testing.T) {
		s := newStore(t)
		alice, bob := addUser(t, s, "alice", domain.RoleUser), addUser(t, s, "bob", domain.RoleUser)
		gone := create(t, s, alice, "a1", "x", atMoscow(0))
		create(t, s, alice, "a2", "y", atMoscow(1))
		bobs := create(t, s, bob, "b1", "z", atMoscow(2))

		require.NoError(t, s.APITokens.Delete(t.Context(), alice.ID(), gone.ID))
		assert.ErrorIs(t, s.APITokens.Delete(t.Context(), alice.ID(), gone.ID), domain.ErrAPITokenNotFound, "once")
		assert.ErrorIs(t, s.APITokens.Delete(t.Context(), alice.ID(), bobs.ID), domain.ErrAPITokenNotFound, "bob's is not alice's")

		_, err := s.APITokens.Get(t.Context(), "a1")
		assert.ErrorIs(t, err, domain.ErrAPITokenNotFound)
		for _, h := range []string{"a2", "b1"} {
			_, err := s.APITokens.Get(t.Context(), h)
			assert.NoError(t, err, h)
		}
	})

	t.Run("DeleteForUser revokes that user's tokens only", func(t *testing.T) {
		s := newStore(t)
		alice, bob := addUser(t, s, "alice", domain.RoleUser), addUser(t, s, "bob", domain.RoleUser)
		create(t, s, alice, "a1", "x", atMoscow(0))
		create(t, s, alice, "a2", "y", atMoscow(1))
		create(t, s, bob, "b1", "z", atMoscow(2))

		n, err := s.APITokens.DeleteForUser(t.Context(), alice.ID())
		require.NoError(t, err)
		assert.Equal(t, 2, n)
		n, err = s.APITokens.DeleteForUser(t.Context(), alice.ID())
		require.NoError(t, err)
		assert.Zero(t, n, "nothing left to revoke")

		for _, h := range []string{"a1", "a2"} {
			_, err := s.APITokens.Get(t.Context(), h)
			assert.ErrorIs(t, err, domain.ErrAPITokenNotFound, h)
		}
		_, err = s.APITokens.Get(t.Context(), "b1")
		assert.NoError(t, err)
	})
}
