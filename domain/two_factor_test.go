package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

func TestTwoFactorRules(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	on := func(t *testing.T) *domain.TwoFactor {
		tf := domain.NewTwoFactor(7, "SECRET", now)
		require.False(t, tf.Enabled())
		require.NoError(t, tf.Enable(100, []string{"a", "b"}, now))
		return tf
	}

	t.Run("enabling twice is refused", func(t *testing.T) {
		tf := on(t)
		assert.ErrorIs(t, tf.Enable(101, nil, now), domain.ErrTwoFactorAlreadyOn)
		assert.Equal(t, []string{"a", "b"}, tf.RecoveryHashes())
	})
	t.Run("a time step is accepted once, and never an earlier one", func(t *testing.T) {
		tf := on(t)
		assert.ErrorIs(t, tf.AcceptCode(100), domain.ErrSecondFactorInvalid, "the enrolment's code")
		assert.NoError(t, tf.AcceptCode(101))
		assert.ErrorIs(t, tf.AcceptCode(101), domain.ErrSecondFactorInvalid)
		assert.ErrorIs(t, tf.AcceptCode(99), domain.ErrSecondFactorInvalid)
	})
	t.Run("a recovery code is spent once", func(t *testing.T) {
		tf := on(t)
		assert.NoError(t, tf.UseRecoveryCode("b"))
		assert.ErrorIs(t, tf.UseRecoveryCode("b"), domain.ErrSecondFactorInvalid)
		assert.Equal(t, 1, tf.RecoveryCodesLeft())
	})
	t.Run("wrong codes in a row block checks for a while", func(t *testing.T) {
		tf := on(t)
		for range domain.SecondFactorMaxFailures - 1 {
			tf.RecordFailure(now)
		}
		require.NoError(t, tf.CheckNotBlocked(now))
		tf.RecordFailure(now)
		err := tf.CheckNotBlocked(now.Add(time.Minute))
		require.ErrorIs(t, err, domain.ErrSecondFactorThrottled)
		var blocked domain.SecondFactorBlockedError
		require.ErrorAs(t, err, &blocked)
		assert.Equal(t, domain.SecondFactorBlockFor-time.Minute, blocked.RetryAfter)
		assert.NoError(t, tf.CheckNotBlocked(now.Add(domain.SecondFactorBlockFor)))
	})
	t.Run("a right code starts the count again", func(t *testing.T) {
		tf := on(t)
		for range domain.SecondFactorMaxFailures - 1 {
			tf.RecordFailure(now)
		}
		require.NoError(t, tf.AcceptCode(200))
		tf.RecordFailure(now)
		assert.NoError(t, tf.CheckNotBlocked(now))
	})
	t.Run("a waiting login lasts its lifetime, under its token only", func(t *testing.T) {
		tf := on(t)
		tf.StartPendingLogIn("h1", now)
		assert.True(t, tf.PendingLogInValid("h1", now.Add(domain.PendingLoginLifetime-time.Second)))
		assert.False(t, tf.PendingLogInValid("h1", now.Add(domain.PendingLoginLifetime)))
		assert.False(t, tf.PendingLogInValid("h2", now))
		tf.StartPendingLogIn("h2", now)
		assert.False(t, tf.PendingLogInValid("h1", now), "a newer login replaces it")
		tf.EndPendingLogIn()
		assert.False(t, tf.PendingLogInValid("h2", now))
		assert.False(t, tf.PendingLogInValid("", now))
	})
}
