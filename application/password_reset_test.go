package application_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// Reproduces issue 9: API tokens kept working after `crm user password`.
func TestSetPasswordRevokesAPITokens(t *testing.T) {
	e, _ := newTokenEnv(t)
	e.user(t, "alice", domain.RoleUser)
	bob := e.user(t, "bob", domain.RoleUser)
	issued, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Username: "alice"})
	require.NoError(t, err)
	bobs, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Username: "bob"})
	require.NoError(t, err)

	require.NoError(t, e.SetPassword.Handle(e.ctx, application.SetPassword{Username: "alice", Password: "brand new pass"}))

	_, err = e.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: issued.Token})
	assert.ErrorIs(t, err, domain.ErrInvalidAPIToken, "alice's token no longer works")
	u, err := e.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: bobs.Token})
	require.NoError(t, err, "bob's token still works")
	assert.Equal(t, bob.ID(), u.ID())
}

// issueReset is an admin issuing a reset link for u.
func (e *env) issueReset(t *testing.T, u *domain.User) application.IssuedPasswordReset {
	t.Helper()
	admin, err := e.store.Users.GetByUsername(e.ctx, "root")
	if err != nil {
		admin = e.user(t, "root", domain.RoleAdmin)
	}
	issued, err := e.IssuePasswordReset.Handle(e.ctx, application.IssuePasswordReset{Actor: admin, UserID: u.ID()})
	require.NoError(t, err)
	return issued
}

func TestIssuePasswordReset(t *testing.T) {
	t.Run("an admin gets a one-time link for a user", func(t *testing.T) {
		e := newEnv(t)
		alice := e.user(t, "alice", domain.RoleUser)

		issued := e.issueReset(t, alice)

		assert.Len(t, issued.Token, 43)
		assert.Equal(t, alice.ID(), issued.User.ID())
		assert.Equal(t, t0.Add(application.PasswordResetLifetime), issued.ExpiresAt)
		u, err := e.ResetPassword.Check(e.ctx, application.CheckPasswordReset{Token: issued.Token})
		require.NoError(t, err)
		assert.Equal(t, alice.ID(), u.ID())
	})

	t.Run("refuses", func(t *testing.T) {
		e := newEnv(t)
		alice := e.user(t, "alice", domain.RoleUser)
		staff := e.user(t, "staffer", domain.RoleStaff)
		admin := e.user(t, "root", domain.RoleAdmin)
		gone := e.user(t, "gone", domain.RoleUser)
		require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: gone.ID(), Active: false}))

		tests := []struct {
			name  string
			actor *domain.User
			id    int64
			want  error
		}{
			{"a user, even for themself", alice, alice.ID(), domain.ErrForbidden},
			{"staff", staff, alice.ID(), domain.ErrForbidden},
			{"nobody", nil, alice.ID(), domain.ErrForbidden},
			{"an unknown user", admin, 9999, domain.ErrUserNotFound},
			{"a deactivated user", admin, gone.ID(), domain.ErrAccountDisabled},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.IssuePasswordReset.Handle(e.ctx, application.IssuePasswordReset{Actor: tc.actor, UserID: tc.id})
				assert.ErrorIs(t, err, tc.want)
			})
		}
	})
}

func TestResetPassword(t *testing.T) {
	t.Run("sets the password once and ends every session and API token", func(t *testing.T) {
		e, _ := newTokenEnv(t)
		alice := e.user(t, "alice", domain.RoleUser)
		session := e.logIn(t, alice)
		api, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Username: "alice"})
		require.NoError(t, err)
		issued := e.issueReset(t, alice)

		u, err := e.ResetPassword.Handle(e.ctx, application.ResetPassword{
			Token: issued.Token, Password: "brand new pass", PasswordConfirm: "brand new pass"})

		require.NoError(t, err)
		assert.Equal(t, alice.ID(), u.ID())
		_, err = e.LogIn.Handle(e.ctx, application.LogIn{Username: "alice", Password: "brand new pass"})
		assert.NoError(t, err, "the new password works")
		_, err = e.LogIn.Handle(e.ctx, application.LogIn{Username: "alice", Password: passwordOf("alice")})
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials, "the old one does not")
		_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: session})
		assert.ErrorIs(t, err, domain.ErrSessionNotFound, "older sessions end")
		_, err = e.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: api.Token})
		assert.ErrorIs(t, err, domain.ErrInvalidAPIToken, "API tokens are revoked")

		_, err = e.ResetPassword.Handle(e.ctx, application.ResetPassword{
			Token: issued.Token, Password: "another new pass", PasswordConfirm: "another new pass"})
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid, "the link works once")
	})

	t.Run("a refused password leaves the link usable", func(t *testing.T) {
		e := newEnv(t)
		alice := e.user(t, "alice", domain.RoleUser)
		issued := e.issueReset(t, alice)

		_, err := e.ResetPassword.Handle(e.ctx, application.ResetPassword{Token: issued.Token, Password: "password", PasswordConfirm: "password"})
		requireValidation(t, err, domain.ValidationError{Field: "password", Code: domain.CodeCommonPassword})
		_, err = e.ResetPassword.Handle(e.ctx, application.ResetPassword{Token: issued.Token, Password: "brand new pass", PasswordConfirm: "brand new pasS"})
		requireValidation(t, err, domain.ValidationError{Field: "password_confirm", Code: domain.CodeMismatch})

		_, err = e.ResetPassword.Handle(e.ctx, application.ResetPassword{Token: issued.Token, Password: "brand new pass", PasswordConfirm: "brand new pass"})
		assert.NoError(t, err)
	})

	t.Run("refuses a link that is unknown, malformed, expired, replaced or for a deactivated account", func(t *testing.T) {
		e := newEnv(t)
		alice := e.user(t, "alice", domain.RoleUser)
		bob := e.user(t, "bob", domain.RoleUser)
		replaced := e.issueReset(t, alice)
		current := e.issueReset(t, alice)
		bobs := e.issueReset(t, bob)
		admin, err := e.store.Users.GetByUsername(e.ctx, "root")
		require.NoError(t, err)
		require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: bob.ID(), Active: false}))

		for name, token := range map[string]string{
			"unknown":     application.NewSecretToken(),
			"malformed":   "not a token!",
			"empty":       "",
			"replaced":    replaced.Token,
			"deactivated": bobs.Token,
		} {
			_, err := e.ResetPassword.Handle(e.ctx, application.ResetPassword{Token: token, Password: "brand new pass", PasswordConfirm: "brand new pass"})
			assert.ErrorIs(t, err, domain.ErrResetLinkInvalid, name)
		}

		e.clock.Advance(application.PasswordResetLifetime)
		_, err = e.ResetPassword.Check(e.ctx, application.CheckPasswordReset{Token: current.Token})
		assert.ErrorIs(t, err, domain.ErrResetLinkInvalid, "an hour later")
		e.clock.Advance(-time.Second)
		_, err = e.ResetPassword.Check(e.ctx, application.CheckPasswordReset{Token: current.Token})
		assert.NoError(t, err, "a second before the hour is over")
	})
}
