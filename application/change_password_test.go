package application_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestChangePassword(t *testing.T) {
	t.Run("sets the new password and ends the other sessions only", func(t *testing.T) {
		e := newEnv(t)
		alice := e.user(t, "alice", domain.RoleUser)
		bob := e.user(t, "bob", domain.RoleUser)
		here, elsewhere, bobs := e.logIn(t, alice), e.logIn(t, alice), e.logIn(t, bob)

		err := e.ChangePassword.Handle(e.ctx, application.ChangePassword{Actor: alice, Token: here,
			CurrentPassword: passwordOf("alice"), Password: "brand new pass", PasswordConfirm: "brand new pass"})

		require.NoError(t, err)
		assert.True(t, fakeHasher{}.matches(e.reload(t, alice).PasswordHash(), "brand new pass"))
		_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: here})
		assert.NoError(t, err, "the session the change was made from stays")
		_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: elsewhere})
		assert.ErrorIs(t, err, domain.ErrSessionNotFound, "the other sessions end")
		_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: bobs})
		assert.NoError(t, err, "someone else's sessions stay")
	})

	t.Run("refuses, changing nothing", func(t *testing.T) {
		tests := []struct {
			name             string
			current, pw, pw2 string
			want             domain.ValidationError
		}{
			{"no current password", "", "brand new pass", "brand new pass", domain.ValidationError{Field: "current_password", Code: domain.CodeRequired}},
			{"a wrong current password", "guess-guess", "brand new pass", "brand new pass", domain.ValidationError{Field: "current_password", Code: domain.CodeWrongPassword}},
			{"a common new password", passwordOf("alice"), "password", "password", domain.ValidationError{Field: "password", Code: domain.CodeCommonPassword}},
			{"a short new password", passwordOf("alice"), "short", "short", domain.ValidationError{Field: "password", Code: domain.CodeTooShort}},
			{"a confirmation that differs", passwordOf("alice"), "brand new pass", "brand new pasS", domain.ValidationError{Field: "password_confirm", Code: domain.CodeMismatch}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t)
				alice := e.user(t, "alice", domain.RoleUser)
				here, elsewhere := e.logIn(t, alice), e.logIn(t, alice)

				err := e.ChangePassword.Handle(e.ctx, application.ChangePassword{Actor: alice, Token: here,
					CurrentPassword: tc.current, Password: tc.pw, PasswordConfirm: tc.pw2})

				requireValidation(t, err, tc.want)
				assert.True(t, fakeHasher{}.matches(e.reload(t, alice).PasswordHash(), passwordOf("alice")))
				_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: elsewhere})
				assert.NoError(t, err, "no session ends")
			})
		}
	})
}
