package contract

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// TwoFactors is the contract of application.TwoFactors.
func TwoFactors(t *testing.T, newStore Factory) {

	t.Run("an enrolment is stored once and read back as it was", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		_, err := s.TwoFactors.Get(t.Context(), u.ID())
		require.ErrorIs(t, err, domain.ErrTwoFactorNotFound)

		require.NoError(t, s.TwoFactors.Create(t.Context(), domain.NewTwoFactor(u.ID(), "SECRETONE", atMoscow(1))))
		require.NoError(t, s.TwoFactors.Create(t.Context(), domain.NewTwoFactor(u.ID(), "SECRETTWO", atMoscow(2))))
		tf, err := s.TwoFactors.Get(t.Context(), u.ID())
		require.NoError(t, err)
		assert.Equal(t, "SECRETONE", tf.Secret(), "the first enrolment stays")
		assert.False(t, tf.Enabled())
		assert.Equal(t, micro(atMoscow(1)), tf.CreatedAt())
		assert.True(t, tf.BlockedUntil().IsZero())
		assert.Empty(t, tf.RecoveryHashes())
	})

	t.Run("update saves every field; a failing fn saves nothing", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "bob", domain.RoleUser)
		require.ErrorIs(t, s.TwoFactors.Update(t.Context(), u.ID(), func(*domain.TwoFactor) error { return nil }),
			domain.ErrTwoFactorNotFound)
		require.NoError(t, s.TwoFactors.Create(t.Context(), domain.NewTwoFactor(u.ID(), "SECRET", atMoscow(0))))
		require.NoError(t, s.TwoFactors.Update(t.Context(), u.ID(), func(tf *domain.TwoFactor) error {
			require.NoError(t, tf.Enable(100, []string{"h1", "h2", "h3"}, atMoscow(3)))
			tf.StartPendingLogIn("pending-hash", atMoscow(4))
			for range domain.SecondFactorMaxFailures {
				tf.RecordFailure(atMoscow(5))
			}
			return nil
		}))
		tf, err := s.TwoFactors.Get(t.Context(), u.ID())
		require.NoError(t, err)
		assert.True(t, tf.Enabled())
		assert.Equal(t, micro(atMoscow(3)), tf.EnabledAt())
		assert.Equal(t, int64(100), tf.LastStep())
		assert.Equal(t, []string{"h1", "h2", "h3"}, tf.RecoveryHashes())
		assert.Equal(t, micro(atMoscow(5).Add(domain.SecondFactorBlockFor)), tf.BlockedUntil())
		assert.Equal(t, "pending-hash", tf.PendingHash())
		assert.Equal(t, micro(atMoscow(4).Add(domain.PendingLoginLifetime)), tf.PendingExpiresAt())

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
		u := addUser(t, s, "carol", domain.RoleUser)
		require.NoError(t, s.TwoFactors.Create(t.Context(), domain.NewTwoFactor(u.ID(), "SECRET", atMoscow(0))))
		require.NoError(t, s.TwoFactors.Update(t.Context(), u.ID(), func(tf *domain.TwoFactor) error {
			return tf.Enable(1, []string{"only"}, atMoscow(1))
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
		u := addUser(t, s, "dave", domain.RoleUser)
		had, err := s.TwoFactors.Delete(t.Context(), u.ID())
		require.NoError(t, err)
		assert.False(t, had)
		require.NoError(t, s.TwoFactors.Create(t.Context(), domain.NewTwoFactor(u.ID(), "SECRET", atMoscow(0))))
		had, err = s.TwoFactors.Delete(t.Context(), u.ID())
		require.NoError(t, err)
		assert.True(t, had)
		_, err = s.TwoFactors.Get(t.Context(), u.ID())
		require.ErrorIs(t, err, domain.ErrTwoFactorNotFound)
	})
}
