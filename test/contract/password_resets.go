package contract

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// PasswordResets is the contract of application.PasswordResets.
func PasswordResets(t *testing.T, newStore Factory) {
	reset := func(u *domain.User, hash string, issued time.Time) domain.PasswordReset {
		return domain.PasswordReset{TokenHash: hash, UserID: u.ID(), CreatedAt: issued, ExpiresAt: issued.Add(application.PasswordResetLifetime)}
	}

	t.Run("an issued reset is read back in UTC and consumed once", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.PasswordResets.Issue(t.Context(), reset(u, "h1", atMoscow(0))))

		got, err := s.PasswordResets.Get(t.Context(), "h1")
		require.NoError(t, err)
		assert.Equal(t, domain.PasswordReset{TokenHash: "h1", UserID: u.ID(), CreatedAt: micro(atMoscow(0)),
			ExpiresAt: micro(atMoscow(60))}, got)
		assert.Equal(t, time.UTC, got.ExpiresAt.Location())

		used, err := s.PasswordResets.Consume(t.Context(), "h1", atMoscow(1))
		require.NoError(t, err)
		assert.Equal(t, micro(atMoscow(1)), used.UsedAt)
		_, err = s.PasswordResets.Consume(t.Context(), "h1", atMoscow(2))
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
		got, err = s.PasswordResets.Get(t.Context(), "h1")
		require.NoError(t, err)
		assert.Equal(t, micro(atMoscow(1)), got.UsedAt, "Get still finds a used reset")
	})

	t.Run("an unknown reset is invalid", func(t *testing.T) {
		s := newStore(t)
		_, err := s.PasswordResets.Get(t.Context(), "nope")
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
		_, err = s.PasswordResets.Consume(t.Context(), "nope", atMoscow(0))
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
	})

	t.Run("a reset expires at its expiry time", func(t *testing.T) {
		s := newStore(t)
		alice, bob := addUser(t, s, "alice", domain.RoleUser), addUser(t, s, "bob", domain.RoleUser)
		require.NoError(t, s.PasswordResets.Issue(t.Context(), reset(alice, "late", atMoscow(0))))
		require.NoError(t, s.PasswordResets.Issue(t.Context(), reset(bob, "edge", atMoscow(0))))

		_, err := s.PasswordResets.Consume(t.Context(), "late", atMoscow(60))
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
		_, err = s.PasswordResets.Consume(t.Context(), "edge", atMoscow(60).Add(-time.Microsecond))
		assert.NoError(t, err)
	})

	t.Run("a new reset replaces the user's older unused one, not other users'", func(t *testing.T) {
		s := newStore(t)
		alice, bob := addUser(t, s, "alice", domain.RoleUser), addUser(t, s, "bob", domain.RoleUser)
		require.NoError(t, s.PasswordResets.Issue(t.Context(), reset(alice, "old", atMoscow(0))))
		require.NoError(t, s.PasswordResets.Issue(t.Context(), reset(bob, "bobs", atMoscow(0))))
		require.NoError(t, s.PasswordResets.Issue(t.Context(), reset(alice, "new", atMoscow(5))))

		old, err := s.PasswordResets.Get(t.Context(), "old")
		require.NoError(t, err)
		assert.Equal(t, micro(atMoscow(5)), old.ExpiresAt)
		_, err = s.PasswordResets.Consume(t.Context(), "old", atMoscow(6))
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
		_, err = s.PasswordResets.Consume(t.Context(), "new", atMoscow(6))
		assert.NoError(t, err)
		_, err = s.PasswordResets.Consume(t.Context(), "bobs", atMoscow(6))
		assert.NoError(t, err)
	})

	t.Run("of concurrent uses of one reset exactly one wins", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.PasswordResets.Issue(t.Context(), reset(u, "h", atMoscow(0))))

		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = s.PasswordResets.Consume(t.Context(), "h", atMoscow(1))
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else {
				assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
			}
		}
		assert.Equal(t, 1, won)
	})
}
