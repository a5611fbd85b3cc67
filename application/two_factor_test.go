package application_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/adapters/totp"
	"crm/application"
	"crm/domain"
)

// tfEnv is env with two-factor sign-in wired, under policy.
type tfEnv struct {
	*env
	tf  *application.TwoFactorApp
	tfs *memory.TwoFactors
}

func newTFEnv(t *testing.T, policy application.TwoFactorPolicy) *tfEnv {
	e := newEnv(t)
	tfs := memory.NewTwoFactors()
	codes := totp.Codes{}
	e.LogIn = e.LogIn.WithSecondFactor(tfs, codes, policy)
	tf := application.NewTwoFactorApp(application.TwoFactorDeps{
		Users: e.store.Users, Sessions: e.store.Sessions, TwoFactors: tfs, Codes: codes, Policy: policy, Clock: e.clock,
	})
	return &tfEnv{env: e, tf: tf, tfs: tfs}
}

// enrol turns two-factor sign-in on for u and returns its secret and
// recovery codes.
func (e *tfEnv) enrol(t *testing.T, u *domain.User) (string, []string) {
	t.Helper()
	st, err := e.tf.Start.Handle(e.ctx, application.StartTwoFactor{UserID: u.ID()})
	require.NoError(t, err)
	require.False(t, st.Enabled)
	require.NotEmpty(t, st.Secret)
	assert.Contains(t, st.URI, "otpauth://totp/")
	assert.Contains(t, st.URI, "secret="+st.Secret)
	codes, err := e.tf.Enable.Handle(e.ctx, application.EnableTwoFactor{UserID: u.ID(), Code: totp.Code(st.Secret, e.clock.Now())})
	require.NoError(t, err)
	return st.Secret, codes
}

// passwordStep logs u in with the password and returns the pending token.
func (e *tfEnv) passwordStep(t *testing.T, u *domain.User) string {
	t.Helper()
	in, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: u.Username(), Password: passwordOf(u.Username())})
	require.NoError(t, err)
	require.Empty(t, in.Token, "no session before the second factor")
	require.NotEmpty(t, in.PendingToken)
	return in.PendingToken
}

func TestTwoFactorEnrolment(t *testing.T) {
	e := newTFEnv(t, application.TwoFactorPolicy{})
	u := e.user(t, "alice", domain.RoleUser)

	st1, err := e.tf.Start.Handle(e.ctx, application.StartTwoFactor{UserID: u.ID()})
	require.NoError(t, err)
	st2, err := e.tf.Start.Handle(e.ctx, application.StartTwoFactor{UserID: u.ID()})
	require.NoError(t, err)
	assert.Equal(t, st1.Secret, st2.Secret, "a reload shows the same secret")

	in, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "alice", Password: passwordOf("alice")})
	require.NoError(t, err)
	assert.NotEmpty(t, in.Token, "an enrolment not finished asks for no code")

	_, err = e.tf.Enable.Handle(e.ctx, application.EnableTwoFactor{UserID: u.ID(), Code: "000000"})
	require.ErrorIs(t, err, domain.ErrSecondFactorInvalid)
	codes, err := e.tf.Enable.Handle(e.ctx, application.EnableTwoFactor{UserID: u.ID(), Code: totp.Code(st1.Secret, e.clock.Now())})
	require.NoError(t, err)
	assert.Len(t, codes, domain.RecoveryCodeCount)
	stored, err := e.tfs.Get(e.ctx, u.ID())
	require.NoError(t, err)
	for _, h := range stored.RecoveryHashes() {
		for _, c := range codes {
			assert.NotContains(t, h, c, "only hashes are stored")
		}
	}
	st, err := e.tf.Start.Handle(e.ctx, application.StartTwoFactor{UserID: u.ID()})
	require.NoError(t, err)
	assert.True(t, st.Enabled)
	assert.Empty(t, st.Secret, "the secret is not shown again")
	assert.Equal(t, domain.RecoveryCodeCount, st.RecoveryCodesLeft)
}

func TestTwoFactorLogIn(t *testing.T) {
	e := newTFEnv(t, application.TwoFactorPolicy{})
	u := e.user(t, "bob", domain.RoleUser)
	secret, recovery := e.enrol(t, u)
	e.clock.Advance(time.Minute)

	t.Run("a code completes the login once", func(t *testing.T) {
		pending := e.passwordStep(t, u)
		code := totp.Code(secret, e.clock.Now())
		done, err := e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: code})
		require.NoError(t, err)
		assert.NotEmpty(t, done.Token)
		assert.Empty(t, done.RecoveryCodes)
		got, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: done.Token})
		require.NoError(t, err)
		assert.Equal(t, u.ID(), got.ID())

		_, err = e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: code})
		require.ErrorIs(t, err, domain.ErrPendingLogInNotFound, "the waiting login ended")
		again := e.passwordStep(t, u)
		_, err = e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: again, Code: code})
		require.ErrorIs(t, err, domain.ErrSecondFactorInvalid, "a code is good once")
	})

	t.Run("a recovery code works once", func(t *testing.T) {
		e.clock.Advance(time.Hour) // past any block
		pending := e.passwordStep(t, u)
		done, err := e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: recovery[3]})
		require.NoError(t, err)
		assert.NotEmpty(t, done.Token)

		pending = e.passwordStep(t, u)
		_, err = e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: recovery[3]})
		require.ErrorIs(t, err, domain.ErrSecondFactorInvalid)
		st, err := e.tf.Start.Handle(e.ctx, application.StartTwoFactor{UserID: u.ID()})
		require.NoError(t, err)
		assert.Equal(t, domain.RecoveryCodeCount-1, st.RecoveryCodesLeft)
	})

	t.Run("wrong codes are throttled, the right one too while blocked", func(t *testing.T) {
		e.clock.Advance(time.Hour)
		pending := e.passwordStep(t, u)
		_, err := e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: totp.Code(secret, e.clock.Now())})
		require.NoError(t, err, "a right code starts the count of wrong ones again")
		pending = e.passwordStep(t, u)
		for range domain.SecondFactorMaxFailures {
			_, err := e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: "123456"})
			require.ErrorIs(t, err, domain.ErrSecondFactorInvalid)
		}
		_, err = e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: totp.Code(secret, e.clock.Now())})
		var blocked domain.SecondFactorBlockedError
		require.ErrorAs(t, err, &blocked)
		assert.Equal(t, domain.SecondFactorBlockFor, blocked.RetryAfter)

		e.clock.Advance(domain.SecondFactorBlockFor)
		pending = e.passwordStep(t, u)
		_, err = e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: totp.Code(secret, e.clock.Now())})
		require.NoError(t, err)
	})

	t.Run("a waiting login is over after its lifetime", func(t *testing.T) {
		e.clock.Advance(time.Hour)
		pending := e.passwordStep(t, u)
		e.clock.Advance(domain.PendingLoginLifetime)
		_, err := e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: totp.Code(secret, e.clock.Now())})
		require.ErrorIs(t, err, domain.ErrPendingLogInNotFound)
	})

	t.Run("the operator's reset turns it off", func(t *testing.T) {
		had, err := e.tf.Reset.Handle(e.ctx, application.ResetTwoFactor{Username: "bob"})
		require.NoError(t, err)
		assert.True(t, had)
		in, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "bob", Password: passwordOf("bob")})
		require.NoError(t, err)
		assert.NotEmpty(t, in.Token)
		_, err = e.tf.Reset.Handle(e.ctx, application.ResetTwoFactor{Username: "nobody"})
		require.ErrorIs(t, err, domain.ErrUserNotFound)
	})
}

func TestTwoFactorRequiredForStaff(t *testing.T) {
	e := newTFEnv(t, application.TwoFactorPolicy{RequireForStaff: true})
	staff := e.user(t, "sam", domain.RoleStaff)
	plain := e.user(t, "pat", domain.RoleUser)

	in, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "pat", Password: passwordOf("pat")})
	require.NoError(t, err)
	assert.NotEmpty(t, in.Token, "users are not asked")
	_ = plain

	pending := e.passwordStep(t, staff)
	p, err := e.tf.PendingLogIn.Handle(e.ctx, application.GetPendingLogIn{PendingToken: pending})
	require.NoError(t, err)
	require.True(t, p.Enrol, "staff without a second factor enrol at login")
	require.NotEmpty(t, p.Secret)

	_, err = e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: "000000"})
	require.ErrorIs(t, err, domain.ErrSecondFactorInvalid)
	done, err := e.tf.CompleteLogIn.Handle(e.ctx, application.CompleteLogIn{PendingToken: pending, Code: totp.Code(p.Secret, e.clock.Now())})
	require.NoError(t, err)
	assert.NotEmpty(t, done.Token)
	assert.Len(t, done.RecoveryCodes, domain.RecoveryCodeCount)

	err = e.tf.Disable.Handle(e.ctx, application.DisableTwoFactor{UserID: staff.ID(), Code: done.RecoveryCodes[0]})
	require.ErrorIs(t, err, domain.ErrTwoFactorRequired)

	e.clock.Advance(time.Minute)
	pending = e.passwordStep(t, staff)
	p, err = e.tf.PendingLogIn.Handle(e.ctx, application.GetPendingLogIn{PendingToken: pending})
	require.NoError(t, err)
	assert.False(t, p.Enrol, "next time: a code")
}

func TestDisableTwoFactor(t *testing.T) {
	e := newTFEnv(t, application.TwoFactorPolicy{})
	u := e.user(t, "dora", domain.RoleStaff)
	secret, _ := e.enrol(t, u)
	e.clock.Advance(time.Minute)
	err := e.tf.Disable.Handle(e.ctx, application.DisableTwoFactor{UserID: u.ID(), Code: "999999"})
	require.ErrorIs(t, err, domain.ErrSecondFactorInvalid)
	require.NoError(t, e.tf.Disable.Handle(e.ctx, application.DisableTwoFactor{UserID: u.ID(), Code: totp.Code(secret, e.clock.Now())}))
	in, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "dora", Password: passwordOf("dora")})
	require.NoError(t, err)
	assert.NotEmpty(t, in.Token)
}

func TestWrongCodesToDisableTwoFactorCountTowardsTheBlock(t *testing.T) {
	e := newTFEnv(t, application.TwoFactorPolicy{})
	u := e.user(t, "erin", domain.RoleUser)
	secret, _ := e.enrol(t, u)
	e.clock.Advance(time.Minute)
	for range domain.SecondFactorMaxFailures {
		err := e.tf.Disable.Handle(e.ctx, application.DisableTwoFactor{UserID: u.ID(), Code: "999999"})
		require.ErrorIs(t, err, domain.ErrSecondFactorInvalid)
	}
	err := e.tf.Disable.Handle(e.ctx, application.DisableTwoFactor{UserID: u.ID(), Code: totp.Code(secret, e.clock.Now())})
	assert.ErrorIs(t, err, domain.ErrSecondFactorThrottled, "the wrong codes were saved")
}
