package application_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestRegisterUser(t *testing.T) {
	e := newEnv(t)

	u, err := e.RegisterUser.Handle(e.ctx, application.RegisterUser{
		Username: "Пётр.Иванов", Password: "correct horse", PasswordConfirm: "correct horse",
	})

	require.NoError(t, err)
	assert.NotZero(t, u.ID())
	stored, err := e.store.Users.GetByUsername(e.ctx, "пётр.иванов")
	require.NoError(t, err, "found in any case")
	assert.Equal(t, u.ID(), stored.ID())
	assert.Equal(t, "Пётр.Иванов", stored.Username())
	assert.Equal(t, domain.RoleUser, stored.Role(), "sign-up makes a plain user")
	assert.True(t, stored.Active())
	assert.Equal(t, t0, stored.CreatedAt())
	assert.NotContains(t, []string{"", "correct horse"}, stored.PasswordHash(), "only a hash is stored")
	assert.True(t, fakeHasher{}.matches(stored.PasswordHash(), "correct horse"))
}

func TestRegisterUserRefusesBadInputAndStoresNothing(t *testing.T) {
	const good = "correct horse"
	tests := []struct {
		name                        string
		username, password, confirm string
		want                        []domain.ValidationError
	}{
		{"no username", "", good, good, []domain.ValidationError{{Field: "username", Code: domain.CodeRequired}}},
		{"short username", "ab", good, good, []domain.ValidationError{{Field: "username", Code: domain.CodeTooShort}}},
		{"long username", strings.Repeat("a", 151), good, good, []domain.ValidationError{{Field: "username", Code: domain.CodeTooLong}}},
		{"space in username", "john smith", good, good, []domain.ValidationError{{Field: "username", Code: domain.CodeInvalidChars}}},
		{"markup in username", "<b>john</b>", good, good, []domain.ValidationError{{Field: "username", Code: domain.CodeInvalidChars}}},
		{"no password", "alice", "", "", []domain.ValidationError{{Field: "password", Code: domain.CodeRequired}}},
		{"short password", "alice", "short1", "short1", []domain.ValidationError{{Field: "password", Code: domain.CodeTooShort}}},
		{"all-digit password", "alice", "1234567890", "1234567890", []domain.ValidationError{{Field: "password", Code: domain.CodeAllDigits}}},
		{"password is the username", "alice_smith", "ALICE_SMITH", "ALICE_SMITH",
			[]domain.ValidationError{{Field: "password", Code: domain.CodeSameAsUsername}}},
		{"confirmation differs", "alice", good, good + "!", []domain.ValidationError{{Field: "password_confirm", Code: domain.CodeMismatch}}},
		{"everything wrong at once", "a b", "123", "1234", []domain.ValidationError{
			{Field: "username", Code: domain.CodeInvalidChars},
			{Field: "password", Code: domain.CodeTooShort},
			{Field: "password_confirm", Code: domain.CodeMismatch},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)

			u, err := e.RegisterUser.Handle(e.ctx, application.RegisterUser{
				Username: tc.username, Password: tc.password, PasswordConfirm: tc.confirm,
			})

			requireValidation(t, err, tc.want...)
			assert.Nil(t, u)
			assert.Zero(t, e.userCount(t), "nothing is stored")
		})
	}
}

func TestRegisterUserRefusesATakenUsernameInAnyCase(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)

	u, err := e.RegisterUser.Handle(e.ctx, application.RegisterUser{
		Username: "ALICE", Password: "another horse", PasswordConfirm: "another horse",
	})

	requireValidation(t, err, domain.ValidationError{Field: "username", Code: domain.CodeTaken})
	assert.Nil(t, u)
	assert.Equal(t, 1, e.userCount(t), "nothing new is stored")
	still := e.reload(t, alice)
	assert.Equal(t, "alice", still.Username())
	assert.True(t, fakeHasher{}.matches(still.PasswordHash(), passwordOf("alice")), "the first account keeps its password")
}

func TestCreateUserWithEachRole(t *testing.T) {
	for _, role := range domain.Roles() {
		t.Run(role.String(), func(t *testing.T) {
			e := newEnv(t)

			u, err := e.CreateUser.Handle(e.ctx, application.CreateUser{
				Username: "someone", Password: "correct horse", Role: role.String(),
			})

			require.NoError(t, err)
			assert.Equal(t, role, e.reload(t, u).Role())
			_, err = e.LogIn.Handle(e.ctx, application.LogIn{Username: "someone", Password: "correct horse"})
			assert.NoError(t, err, "the new account can log in")
		})
	}
}

func TestCreateUserRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		cmd  application.CreateUser
		want []domain.ValidationError
	}{
		{"unknown role", application.CreateUser{Username: "someone", Password: "correct horse", Role: "root"},
			[]domain.ValidationError{{Field: "role", Code: domain.CodeInvalid}}},
		{"no role", application.CreateUser{Username: "someone", Password: "correct horse"},
			[]domain.ValidationError{{Field: "role", Code: domain.CodeInvalid}}},
		{"bad username", application.CreateUser{Username: "some one", Password: "correct horse", Role: "admin"},
			[]domain.ValidationError{{Field: "username", Code: domain.CodeInvalidChars}}},
		{"weak password", application.CreateUser{Username: "someone", Password: "12345678", Role: "admin"},
			[]domain.ValidationError{{Field: "password", Code: domain.CodeAllDigits}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)

			_, err := e.CreateUser.Handle(e.ctx, tc.cmd)

			requireValidation(t, err, tc.want...)
			assert.Zero(t, e.userCount(t))
		})
	}
}

func TestCreateUserRefusesATakenUsername(t *testing.T) {
	e := newEnv(t)
	e.user(t, "boss", domain.RoleAdmin)

	_, err := e.CreateUser.Handle(e.ctx, application.CreateUser{Username: "Boss", Password: "correct horse", Role: "user"})

	requireValidation(t, err, domain.ValidationError{Field: "username", Code: domain.CodeTaken})
	assert.Equal(t, 1, e.userCount(t))
}

func TestSetPassword(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	token := e.logIn(t, alice)

	err := e.SetPassword.Handle(e.ctx, application.SetPassword{Username: "ALICE", Password: "brand new pass"})

	require.NoError(t, err)
	_, err = e.LogIn.Handle(e.ctx, application.LogIn{Username: "alice", Password: passwordOf("alice")})
	assert.ErrorIs(t, err, domain.ErrInvalidCredentials, "the old password no longer works")
	_, err = e.LogIn.Handle(e.ctx, application.LogIn{Username: "alice", Password: "brand new pass"})
	assert.NoError(t, err, "the new one does")
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	assert.ErrorIs(t, err, domain.ErrSessionNotFound, "every older session ends")
}

func TestSetPasswordRefusals(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)

	err := e.SetPassword.Handle(e.ctx, application.SetPassword{Username: "nobody", Password: "brand new pass"})
	assert.ErrorIs(t, err, domain.ErrUserNotFound)

	for _, tc := range []struct {
		password string
		code     string
	}{
		{"short", domain.CodeTooShort},
		{"123456789", domain.CodeAllDigits},
		{"Alice", domain.CodeTooShort},
		{"", domain.CodeRequired},
	} {
		err := e.SetPassword.Handle(e.ctx, application.SetPassword{Username: "alice", Password: tc.password})
		requireValidation(t, err, domain.ValidationError{Field: "password", Code: tc.code})
	}

	long := e.user(t, "alice_smith", domain.RoleUser)
	err = e.SetPassword.Handle(e.ctx, application.SetPassword{Username: "alice_smith", Password: "ALICE_SMITH"})
	requireValidation(t, err, domain.ValidationError{Field: "password", Code: domain.CodeSameAsUsername})

	assert.True(t, fakeHasher{}.matches(e.reload(t, alice).PasswordHash(), passwordOf("alice")), "a refused password changes nothing")
	assert.True(t, fakeHasher{}.matches(e.reload(t, long).PasswordHash(), passwordOf("alice_smith")))
}

func TestSetLanguage(t *testing.T) {
	tests := []struct {
		name     string
		language string
		wantErr  bool
	}{
		{"a supported language", "ru", false},
		{"another supported language", "en", false},
		{"automatic", "", false},
		{"unsupported", "de", true},
		{"a supported one in the wrong case", "RU", true},
		{"garbage", "<script>", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			alice := e.user(t, "alice", domain.RoleUser)
			require.NoError(t, e.SetLanguage.Handle(e.ctx, application.SetLanguage{Actor: alice, Language: "en"}))

			err := e.SetLanguage.Handle(e.ctx, application.SetLanguage{Actor: alice, Language: tc.language})

			if tc.wantErr {
				requireValidation(t, err, domain.ValidationError{Field: "language", Code: domain.CodeInvalid})
				assert.Equal(t, "en", e.reload(t, alice).Language(), "the old choice stays")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.language, e.reload(t, alice).Language())
		})
	}
}
