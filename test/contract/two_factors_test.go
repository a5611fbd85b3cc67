package contract_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
)

// twoFactorStore is one backend's ports for the TwoFactors suite.
type twoFactorStore struct {
	Users      application.Users
	TwoFactors application.TwoFactors
}

func TestTwoFactors(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		twoFactorsSuite(t, func(t *testing.T) twoFactorStore {
			return twoFactorStore{Users: memory.NewStore().Users, TwoFactors: memory.NewTwoFactors()}
		})
	})
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		twoFactorsSuite(t, func(t *testing.T) twoFactorStore {
			st := sqliteStore(t)
			return twoFactorStore{Users: sqlstore.NewUsers(st), TwoFactors: sqlstore.NewTwoFactors(st)}
		})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		freshStore := postgresStores(t)
		twoFactorsSuite(t, func(t *testing.T) twoFactorStore {
			st := freshStore(t)
			return twoFactorStore{Users: sqlstore.NewUsers(st), TwoFactors: sqlstore.NewTwoFactors(st)}
		})
	})
}

// twoFactorsSuite is the contract of application.TwoFactors.
func twoFactorsSuite(t *testing.T, newStore func(t *testing.T) twoFactorStore) {
	addTFUser := func(t *testing.T, s twoFactorStore, name string) *domain.User {
		u, err := domain.NewUser(name, "hash", domain.RoleUser, apiAt(0))
		require.NoError(t, err)
		require.NoError(t, s.Users.Add(t.Context(), u))
		return u
	}

	t.Run("an enrolment is stored once and read back as it was", func(t *testing.T) {
		s := newStore(t)
		u := addTFUser(t, s, "alice")
		_, err := s.TwoFactors.Get(t.Context(), u.ID())
		require.ErrorIs(t, err, domain.ErrTwoFactorNotFound)

		require.NoError(t, s.TwoFactors.Create(t.Context(), domain.NewTwoFactor(u.ID(), "SECRETONE", apiAt(1))))
		require.NoError(t, s.TwoFactors.Create(t.Context(), domain.NewTwoFactor(u.ID(), "SECRETTWO", apiAt(2))))
		tf, err := s.TwoFactors.Get(t.Context(), u.ID())
		require.NoError(t, err)
		assert.Equal(t, "SECRETONE", tf.Secret(), "the first enrolment stays")
		assert.False(t, tf.Enabled())
		assert.Equal(t, apiMicro(apiAt(1)), tf.CreatedAt())
		assert.True(t, tf.BlockedUntil().IsZero())
		assert.Empty(t, tf.RecoveryHashes())
	})

	t.Run("update saves every field; a failing fn saves nothing", func(t *testing.T) {
		s := newStore(t)
		u := addTFUser(t, s, "bob")
		require.ErrorIs(t, s.TwoFactors.Update(t.Context(), u.ID(), func(*domain.TwoFactor) error { return nil }),
			domain.ErrTwoFactorNotFound)
		require.NoError(t, s.TwoFactors.Create(t.Context(), domain.NewTwoFactor(u.ID(), "SECRET", apiAt(0))))
		require.NoError(t, s.TwoFactors.Update(t.Context(), u.ID(), func(tf *domain.TwoFactor) error {
			require.NoError(t, tf.Enable(100, []string{"h1", "h2", "h3"}, apiAt(3)))
			tf.StartPendingLogIn("pending-hash", apiAt(4))
			for range domain.SecondFactorMaxFailures {
				tf.RecordFailure(apiAt(5))
			}
			return nil
		}))
		tf, err := s.TwoFactors.Get(t.Context(), u.ID())
		require.NoError(t, err)
		assert.True(t, tf.Enabled())
		assert.Equal(t, apiMicro(apiAt(3)), tf.EnabledAt())
		assert.Equal(t, int64(100), tf.LastStep())
		assert.Equal(t, []string{"h1", "h2", "h3"}, tf.RecoveryHashes())
		assert.Equal(t, apiMicro(apiAt(5).Add(domain.SecondFactorBlockFor)), tf.BlockedUntil())
		assert.Equal(t, "pending-hash", tf.PendingHash())
		assert.Equal(t, apiMicro(apiAt(4).Add(domain.PendingLoginLifetime)), tf.PendingExpiresAt())

		byPending, err := s.TwoFactors.GetByPendingLogIn(t.Context(), "pending-hash")
		require.NoError(t, err)
		assert.Equal(t, u.ID(), byPending.UserID())
		_, err = s.TwoFactors.GetByPendingLogIn(t.Context(), "other")
		require.ErrorIs(t, err, domain.ErrPendingLogInNotFound)

		boom := assert.AnError
		require.ErrorIs(t, s.TwoFactors.Update(t.Context(), u.ID(), func(tf *domain.TwoFactor) error {
			require.NoError(t, tf.UseRecoveryCode("h2"))
			tf.EndPendingLogIn()
			return boom
		}), boom)
		tf, err = s.TwoFactors.Get(t.Context(), u.ID())
		require.NoError(t, err)
		assert.Equal(t, []string{"h1", "h2", "h3"}, tf.RecoveryHashes(), "rolled back")

		require.NoError(t, s.TwoFactors.Update(t.Context(), u.ID(), func(tf *domain.TwoFactor) error {
			tf.EndPendingLogIn()
			return tf.UseRecoveryCode("h2")
		}))
		tf, err = s.TwoFactors.Get(t.Context(), u.ID())
		require.NoError(t, err)
		assert.Equal(t, []string{"h1", "h3"}, tf.RecoveryHashes())
		assert.Empty(t, tf.PendingHash())
		_, err = s.TwoFactors.GetByPendingLogIn(t.Context(), "pending-hash")
		require.ErrorIs(t, err, domain.ErrPendingLogInNotFound)
	})

	t.Run("concurrent updates each see the one before: a recovery code is spent once", func(t *testing.T) {
		s := newStore(t)
		u := addTFUser(t, s, "carol")
		require.NoError(t, s.TwoFactors.Create(t.Context(), domain.NewTwoFactor(u.ID(), "SECRET", apiAt(0))))
		require.NoError(t, s.TwoFactors.Update(t.Context(), u.ID(), func(tf *domain.TwoFactor) error {
			return tf.Enable(1, []string{"only"}, apiAt(1))
		}))
		var wg sync.WaitGroup
		var mu sync.Mutex
		spent := 0
		for range 8 {
			wg.Go(func() {
				err := s.TwoFactors.Update(t.Context(), u.ID(), func(tf *domain.TwoFactor) error {
					return tf.UseRecoveryCode("only")
				})
				if err != nil {
					assert.ErrorIs(t, err, domain.ErrSecondFactorInvalid, "the others see it spent")
					return
				}
				mu.Lock()
				spent++
				mu.Unlock()
			})
		}
		wg.Wait()
		assert.Equal(t, 1, spent)
	})

	t.Run("delete removes it and reports whether there was one", func(t *testing.T) {
		s := newStore(t)
		u := addTFUser(t, s, "dave")
		had, err := s.TwoFactors.Delete(t.Context(), u.ID())
		require.NoError(t, err)
		assert.False(t, had)
		require.NoError(t, s.TwoFactors.Create(t.Context(), domain.NewTwoFactor(u.ID(), "SECRET", apiAt(0))))
		had, err = s.TwoFactors.Delete(t.Context(), u.ID())
		require.NoError(t, err)
		assert.True(t, had)
		_, err = s.TwoFactors.Get(t.Context(), u.ID())
		require.ErrorIs(t, err, domain.ErrTwoFactorNotFound)
	})
}
