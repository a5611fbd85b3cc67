package application_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestLogIn(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)

	in, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "Alice", Password: passwordOf("alice")})

	require.NoError(t, err)
	assert.Equal(t, alice.ID(), in.User.ID(), "the username is matched in any case")
	assert.Len(t, in.Token, 43)
	assert.Equal(t, t0.Add(application.SessionLifetime), in.ExpiresAt)
	s, err := e.store.Sessions.Get(e.ctx, application.HashToken(in.Token))
	require.NoError(t, err, "the session is stored under the token's hash")
	assert.Equal(t, alice.ID(), s.UserID)
	assert.Equal(t, t0, s.CreatedAt)
	_, err = e.store.Sessions.Get(e.ctx, in.Token)
	assert.ErrorIs(t, err, domain.ErrSessionNotFound, "the token itself is never stored")
}

func TestLogInRefusals(t *testing.T) {
	tests := []struct {
		name               string
		username, password string
		want               error
	}{
		{"wrong password", "alice", "not her password", domain.ErrInvalidCredentials},
		{"empty password", "alice", "", domain.ErrInvalidCredentials},
		{"password in another case", "alice", "PW-OF-ALICE", domain.ErrInvalidCredentials},
		{"unknown user", "nobody", passwordOf("alice"), domain.ErrInvalidCredentials},
		{"deactivated account with the right password", "bob", passwordOf("bob"), domain.ErrAccountDisabled},
		{"deactivated account with a wrong password", "bob", "guess", domain.ErrInvalidCredentials},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			admin := e.user(t, "admin", domain.RoleAdmin)
			e.user(t, "alice", domain.RoleUser)
			bob := e.user(t, "bob", domain.RoleUser)
			require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: bob.ID(), Active: false}))

			in, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: tc.username, Password: tc.password})

			assert.ErrorIs(t, err, tc.want)
			assert.Empty(t, in.Token)
		})
	}
}

func TestLogInEndsTheOldSessionSoTheIDRotates(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	old := e.logIn(t, alice)

	in, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "alice", Password: passwordOf("alice"), OldToken: old})

	require.NoError(t, err)
	assert.NotEqual(t, old, in.Token)
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: old})
	assert.ErrorIs(t, err, domain.ErrSessionNotFound, "the old session is over")
	u, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: in.Token})
	require.NoError(t, err)
	assert.Equal(t, alice.ID(), u.ID())
}

func TestLogInKeepsTheOldSessionWhenRefused(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	old := e.logIn(t, alice)

	_, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "alice", Password: "wrong", OldToken: old})

	require.ErrorIs(t, err, domain.ErrInvalidCredentials)
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: old})
	assert.NoError(t, err)
}

func TestEveryLogInGetsItsOwnSession(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)

	laptop, phone := e.logIn(t, alice), e.logIn(t, alice)

	assert.NotEqual(t, laptop, phone)
	for _, token := range []string{laptop, phone} {
		_, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
		assert.NoError(t, err)
	}
}

func TestCurrentUser(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	token := e.logIn(t, alice)

	u, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})

	require.NoError(t, err)
	assert.Equal(t, alice.ID(), u.ID())
	assert.Equal(t, "alice", u.Username())
}

func TestCurrentUserRefusesUnknownTokens(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	token := e.logIn(t, alice)

	for name, tok := range map[string]string{
		"empty":             "",
		"unknown":           application.NewSecretToken(),
		"the stored hash":   application.HashToken(token),
		"a token truncated": token[:len(token)-1],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: tok})
			assert.ErrorIs(t, err, domain.ErrSessionNotFound)
		})
	}
}

func TestCurrentUserSessionExpires(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	token := e.logIn(t, alice)

	e.clock.Advance(application.SessionLifetime - time.Second)
	_, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	require.NoError(t, err, "a second before expiry the session still works")

	e.clock.Advance(time.Second)
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	assert.ErrorIs(t, err, domain.ErrSessionNotFound)

	_, err = e.store.Sessions.Get(e.ctx, application.HashToken(token))
	assert.ErrorIs(t, err, domain.ErrSessionNotFound, "an expired session is removed")
	e.clock.Set(t0)
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	assert.ErrorIs(t, err, domain.ErrSessionNotFound, "and stays gone")
}

func TestCurrentUserRefusesADeactivatedUser(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	alice := e.user(t, "alice", domain.RoleUser)
	token := e.logIn(t, alice)
	// Deactivate behind the use case's back, as a second server might, so
	// that the check on the user is tested apart from ending the sessions.
	require.NoError(t, e.store.Users.Update(e.ctx, alice.ID(), func(u *domain.User) error {
		u.SetActive(admin, false, t0)
		return nil
	}))

	_, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})

	assert.ErrorIs(t, err, domain.ErrSessionNotFound)
}

func TestCurrentUserSeesARoleChangeOnTheNextCall(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin", domain.RoleAdmin)
	alice := e.user(t, "alice", domain.RoleUser)
	token := e.logIn(t, alice)
	before, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	require.NoError(t, err)
	require.False(t, before.IsStaff())

	require.NoError(t, e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: admin, UserID: alice.ID(), Role: "staff"}))

	after, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	require.NoError(t, err)
	assert.Equal(t, domain.RoleStaff, after.Role())
	_, err = e.ListQueue.Handle(e.ctx, application.ListQueue{Actor: after})
	assert.NoError(t, err, "and may work the queue at once")
}

func TestLogOut(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	token, other := e.logIn(t, alice), e.logIn(t, alice)

	require.NoError(t, e.LogOut.Handle(e.ctx, application.LogOut{Token: token}))

	_, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	assert.ErrorIs(t, err, domain.ErrSessionNotFound)
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: other})
	assert.NoError(t, err, "only that session ends")
	assert.NoError(t, e.LogOut.Handle(e.ctx, application.LogOut{Token: token}), "twice is fine")
	assert.NoError(t, e.LogOut.Handle(e.ctx, application.LogOut{Token: ""}), "no cookie is fine")
}
