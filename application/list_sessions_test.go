package application_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/totp"
	"crm/application"
	"crm/domain"
)

func TestLogInRecordsTheClientOnTheSession(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	ctx := application.WithClient(e.ctx, application.Client{UserAgent: "Mozilla/5.0 Firefox/128.0", Address: "192.0.2.7"})

	in, err := e.LogIn.Handle(ctx, application.LogIn{Username: "alice", Password: passwordOf("alice")})
	require.NoError(t, err)

	s, err := e.store.Sessions.Get(e.ctx, application.HashToken(in.Token))
	require.NoError(t, err)
	assert.Equal(t, "Mozilla/5.0 Firefox/128.0", s.UserAgent)
	assert.Equal(t, "192.0.2.7", s.Address)
	assert.Equal(t, t0, s.LastSeenAt, "seen at login")
	assert.Equal(t, alice.ID(), s.UserID)
}

func TestCompleteLogInRecordsTheClientOnTheSession(t *testing.T) {
	e := newTFEnv(t, application.TwoFactorPolicy{})
	u := e.user(t, "bob", domain.RoleUser)
	secret, _ := e.enrol(t, u)
	e.clock.Advance(time.Minute)
	pending := e.passwordStep(t, u)
	ctx := application.WithClient(e.ctx, application.Client{UserAgent: "Mozilla/5.0 Firefox/128.0", Address: "192.0.2.8"})

	done, err := e.tf.CompleteLogIn.Handle(ctx, application.CompleteLogIn{PendingToken: pending, Code: totp.Code(secret, e.clock.Now())})
	require.NoError(t, err)

	s, err := e.store.Sessions.Get(e.ctx, application.HashToken(done.Token))
	require.NoError(t, err)
	assert.Equal(t, "Mozilla/5.0 Firefox/128.0", s.UserAgent)
	assert.Equal(t, "192.0.2.8", s.Address)
	assert.Equal(t, e.clock.Now(), s.LastSeenAt)
}

func TestCurrentUserRecordsUseAtMostOnceAMinute(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	token := e.logIn(t, alice)
	seen := func() time.Time {
		t.Helper()
		s, err := e.store.Sessions.Get(e.ctx, application.HashToken(token))
		require.NoError(t, err)
		return s.LastSeenAt
	}

	e.clock.Advance(59 * time.Second)
	_, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	require.NoError(t, err)
	assert.Equal(t, t0, seen(), "not within the minute")

	e.clock.Advance(time.Second)
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	require.NoError(t, err)
	assert.Equal(t, t0.Add(time.Minute), seen(), "a minute on: recorded")

	e.clock.Advance(30 * time.Second)
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
	require.NoError(t, err)
	assert.Equal(t, t0.Add(time.Minute), seen())
}

func TestListSessionsAndLogOutEverywhereElse(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	bob := e.user(t, "bob", domain.RoleUser)
	first := e.logIn(t, alice)
	e.clock.Advance(time.Hour)
	here := e.logIn(t, alice)
	bobs := e.logIn(t, bob)

	list, err := e.ListSessions.Handle(e.ctx, application.ListSessions{Actor: alice, Token: here})
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, application.HashToken(here), list[0].TokenHash, "newest first")
	assert.True(t, list[0].Current)
	assert.False(t, list[1].Current)

	e.clock.Advance(application.SessionLifetime - 30*time.Minute)
	list, err = e.ListSessions.Handle(e.ctx, application.ListSessions{Actor: alice, Token: here})
	require.NoError(t, err)
	assert.Len(t, list, 1, "an expired session is not listed")
	e.clock.Set(t0.Add(2 * time.Hour))

	n, err := e.LogOutOthers.Handle(e.ctx, application.LogOutOtherSessions{Actor: alice, Token: here})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: first})
	assert.ErrorIs(t, err, domain.ErrSessionNotFound)
	for _, token := range []string{here, bobs} {
		_, err = e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
		assert.NoError(t, err)
	}
}

func TestLogOutSessionEndsOnlyTheActorsOwnSession(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	bob := e.user(t, "bob", domain.RoleUser)
	here, phone := e.logIn(t, alice), e.logIn(t, alice)
	bobs := e.logIn(t, bob)
	alive := func(token string) bool {
		t.Helper()
		_, err := e.CurrentUser.Handle(e.ctx, application.CurrentUser{Token: token})
		if errors.Is(err, domain.ErrSessionNotFound) {
			return false
		}
		require.NoError(t, err)
		return true
	}

	err := e.LogOutSession.Handle(e.ctx, application.LogOutSession{Actor: alice, TokenHash: application.HashToken(bobs)})
	require.ErrorIs(t, err, domain.ErrSessionNotFound, "another person's session is not found")
	err = e.LogOutSession.Handle(e.ctx, application.LogOutSession{Actor: alice, TokenHash: application.HashToken("no-such-token")})
	require.ErrorIs(t, err, domain.ErrSessionNotFound)
	assert.True(t, alive(bobs), "bob's session survives alice's attempt")

	require.NoError(t, e.LogOutSession.Handle(e.ctx, application.LogOutSession{Actor: alice, TokenHash: application.HashToken(phone)}))
	assert.False(t, alive(phone), "the chosen session ended")
	assert.True(t, alive(here), "the others go on")
}
