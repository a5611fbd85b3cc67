package contract_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
)

// resetStore is one backend's ports for the PasswordResets suite.
type resetStore struct {
	Users  application.Users
	Resets application.PasswordResets
}

type resetFactory func(t *testing.T) resetStore

func TestPasswordResets(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		passwordResetsSuite(t, func(t *testing.T) resetStore {
			return resetStore{Users: memory.NewStore().Users, Resets: memory.NewPasswordResets()}
		})
	})
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		passwordResetsSuite(t, func(t *testing.T) resetStore {
			st := sqliteStore(t)
			return resetStore{Users: sqlstore.NewUsers(st), Resets: sqlstore.NewPasswordResets(st)}
		})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		freshStore := postgresStores(t)
		passwordResetsSuite(t, func(t *testing.T) resetStore {
			st := freshStore(t)
			return resetStore{Users: sqlstore.NewUsers(st), Resets: sqlstore.NewPasswordResets(st)}
		})
	})
}

// passwordResetsSuite is the contract of application.PasswordResets.
func passwordResetsSuite(t *testing.T, newStore resetFactory) {
	user := func(t *testing.T, s resetStore, name string) *domain.User {
		t.Helper()
		u, err := domain.NewUser(name, "hash", domain.RoleUser, apiBase)
		require.NoError(t, err)
		require.NoError(t, s.Users.Add(t.Context(), u))
		return u
	}
	reset := func(u *domain.User, hash string, issued time.Time) domain.PasswordReset {
		return domain.PasswordReset{TokenHash: hash, UserID: u.ID(), CreatedAt: issued, ExpiresAt: issued.Add(application.PasswordResetLifetime)}
	}

	t.Run("an issued reset is read back in UTC and consumed once", func(t *testing.T) {
		s := newStore(t)
		u := user(t, s, "alice")
		require.NoError(t, s.Resets.Issue(t.Context(), reset(u, "h1", apiAt(0))))

		got, err := s.Resets.Get(t.Context(), "h1")
		require.NoError(t, err)
		assert.Equal(t, domain.PasswordReset{TokenHash: "h1", UserID: u.ID(), CreatedAt: apiMicro(apiAt(0)),
			ExpiresAt: apiMicro(apiAt(60))}, got)
		assert.Equal(t, time.UTC, got.ExpiresAt.Location())

		used, err := s.Resets.Consume(t.Context(), "h1", apiAt(1))
		require.NoError(t, err)
		assert.Equal(t, apiMicro(apiAt(1)), used.UsedAt)
		_, err = s.Resets.Consume(t.Context(), "h1", apiAt(2))
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
		got, err = s.Resets.Get(t.Context(), "h1")
		require.NoError(t, err)
		assert.Equal(t, apiMicro(apiAt(1)), got.UsedAt, "Get still finds a used reset")
	})

	t.Run("an unknown reset is invalid", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Resets.Get(t.Context(), "nope")
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
		_, err = s.Resets.Consume(t.Context(), "nope", apiAt(0))
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
	})

	t.Run("a reset expires at its expiry time", func(t *testing.T) {
		s := newStore(t)
		alice, bob := user(t, s, "alice"), user(t, s, "bob")
		require.NoError(t, s.Resets.Issue(t.Context(), reset(alice, "late", apiAt(0))))
		require.NoError(t, s.Resets.Issue(t.Context(), reset(bob, "edge", apiAt(0))))

		_, err := s.Resets.Consume(t.Context(), "late", apiAt(60))
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
		_, err = s.Resets.Consume(t.Context(), "edge", apiAt(60).Add(-time.Microsecond))
		assert.NoError(t, err)
	})

	t.Run("a new reset replaces the user's older unused one, not other users'", func(t *testing.T) {
		s := newStore(t)
		alice, bob := user(t, s, "alice"), user(t, s, "bob")
		require.NoError(t, s.Resets.Issue(t.Context(), reset(alice, "old", apiAt(0))))
		require.NoError(t, s.Resets.Issue(t.Context(), reset(bob, "bobs", apiAt(0))))
		require.NoError(t, s.Resets.Issue(t.Context(), reset(alice, "new", apiAt(5))))

		old, err := s.Resets.Get(t.Context(), "old")
		require.NoError(t, err)
		assert.Equal(t, apiMicro(apiAt(5)), old.ExpiresAt)
		_, err = s.Resets.Consume(t.Context(), "old", apiAt(6))
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid)
		_, err = s.Resets.Consume(t.Context(), "new", apiAt(6))
		assert.NoError(t, err)
		_, err = s.Resets.Consume(t.Context(), "bobs", apiAt(6))
		assert.NoError(t, err)
	})

	t.Run("of concurrent uses of one reset exactly one wins", func(t *testing.T) {
		s := newStore(t)
		u := user(t, s, "alice")
		require.NoError(t, s.Resets.Issue(t.Context(), reset(u, "h", apiAt(0))))

		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = s.Resets.Consume(t.Context(), "h", apiAt(1))
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
