package application_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
)

// newTokenEnv is newEnv with API tokens kept in tokens.
func newTokenEnv(t *testing.T) (*env, *memory.APITokens) {
	t.Helper()
	e := newEnv(t)
	tokens := memory.NewAPITokens()
	e.App = application.NewApp(application.Deps{
		Users: e.store.Users, Tickets: e.store.Tickets, Sessions: e.store.Sessions, Events: e.store.Events,
		APITokens: tokens, Resets: memory.NewPasswordResets(), Hasher: fakeHasher{}, Clock: e.clock, Languages: languages,
	})
	return e, tokens
}

func TestIssueAPIToken(t *testing.T) {
	t.Run("stores only the hash of a new random token", func(t *testing.T) {
		e, tokens := newTokenEnv(t)
		alice := e.user(t, "alice", domain.RoleUser)

		issued, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Username: "ALICE", Name: "  deploy  "})
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(issued.Token, application.APITokenPrefix), issued.Token)
		assert.Len(t, issued.Token, len(application.APITokenPrefix)+43)
		assert.Equal(t, alice.ID(), issued.User.ID())
		assert.Equal(t, domain.APIToken{ID: issued.APIToken.ID, TokenHash: application.HashToken(issued.Token),
			UserID: alice.ID(), Name: "deploy", CreatedAt: t0}, issued.APIToken)

		stored, err := tokens.Get(e.ctx, application.HashToken(issued.Token))
		require.NoError(t, err)
		assert.Equal(t, issued.APIToken, stored)
		_, err = tokens.Get(e.ctx, issued.Token)
		assert.ErrorIs(t, err, domain.ErrAPITokenNotFound, "the token itself is not a key")

		again, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Username: "alice"})
		require.NoError(t, err)
		assert.NotEqual(t, issued.Token, again.Token)
		assert.Equal(t, application.APITokenDefaultName, again.APIToken.Name)
	})

	t.Run("refuses", func(t *testing.T) {
		e, _ := newTokenEnv(t)
		alice := e.user(t, "alice", domain.RoleUser)
		bob := e.user(t, "bob", domain.RoleUser)
		admin := e.user(t, "root", domain.RoleAdmin)
		gone := e.user(t, "gone", domain.RoleUser)
		require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: gone.ID(), Active: false}))

		cases := map[string]struct {
			cmd  application.IssueAPIToken
			want error
		}{
			"an unknown user":         {application.IssueAPIToken{Username: "nobody"}, domain.ErrUserNotFound},
			"a deactivated account":   {application.IssueAPIToken{Username: "gone"}, domain.ErrAccountDisabled},
			"someone else's, by user": {application.IssueAPIToken{Actor: bob, Username: "alice"}, domain.ErrForbidden},
			"a label too long":        {application.IssueAPIToken{Username: "alice", Name: strings.Repeat("я", 101)}, domain.ValidationError{Field: "name", Code: domain.CodeTooLong}},
		}
		for name, c := range cases {
			t.Run(name, func(t *testing.T) {
				_, err := e.IssueAPIToken.Handle(e.ctx, c.cmd)
				assert.ErrorIs(t, err, c.want)
			})
		}

		_, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Actor: alice, Username: "alice"})
		assert.NoError(t, err, "one's own")
		_, err = e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Actor: admin, Username: "alice"})
		assert.NoError(t, err, "an admin, for anyone")
	})
}

func TestAuthenticateToken(t *testing.T) {
	t.Run("returns the token's user, fresh", func(t *testing.T) {
		e, _ := newTokenEnv(t)
		alice := e.user(t, "alice", domain.RoleUser)
		admin := e.user(t, "root", domain.RoleAdmin)
		issued, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Username: "alice"})
		require.NoError(t, err)

		u, err := e.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: issued.Token})
		require.NoError(t, err)
		assert.Equal(t, alice.ID(), u.ID())

		require.NoError(t, e.ChangeRole.Handle(e.ctx, application.ChangeRole{Actor: admin, UserID: alice.ID(), Role: "staff"}))
		u, err = e.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: issued.Token})
		require.NoError(t, err)
		assert.True(t, u.IsStaff(), "a role change applies at the next request")
	})

	t.Run("refuses a token that does not let anyone in", func(t *testing.T) {
		e, _ := newTokenEnv(t)
		e.user(t, "alice", domain.RoleUser)
		admin := e.user(t, "root", domain.RoleAdmin)
		gone := e.user(t, "gone", domain.RoleUser)
		revoked := e.user(t, "revoked", domain.RoleUser)
		tokenOf := func(username string) string {
			issued, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Username: username})
			require.NoError(t, err)
			return issued.Token
		}
		goneToken, revokedToken, aliceToken := tokenOf("gone"), tokenOf("revoked"), tokenOf("alice")
		require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: gone.ID(), Active: false}))
		n, err := e.RevokeAPITokens.Handle(e.ctx, application.RevokeAPITokens{Username: revoked.Username()})
		require.NoError(t, err)
		assert.Equal(t, 1, n)

		for name, token := range map[string]string{
			"empty":                "",
			"unknown":              "crm_nope",
			"almost right":         aliceToken[:len(aliceToken)-1],
			"a deactivated user's": goneToken,
			"revoked":              revokedToken,
		} {
			_, err := e.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: token})
			assert.ErrorIs(t, err, domain.ErrInvalidAPIToken, name)
		}
	})

	t.Run("records the use at most once a minute", func(t *testing.T) {
		e, tokens := newTokenEnv(t)
		e.user(t, "alice", domain.RoleUser)
		issued, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Username: "alice"})
		require.NoError(t, err)
		lastUsed := func() time.Time {
			tk, err := tokens.Get(e.ctx, application.HashToken(issued.Token))
			require.NoError(t, err)
			return tk.LastUsedAt
		}
		use := func() {
			_, err := e.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: issued.Token})
			require.NoError(t, err)
		}
		assert.True(t, lastUsed().IsZero())

		e.clock.Advance(time.Second)
		use()
		assert.Equal(t, t0.Add(time.Second), lastUsed())
		e.clock.Advance(30 * time.Second)
		use()
		assert.Equal(t, t0.Add(time.Second), lastUsed(), "not again within a minute")
		e.clock.Advance(30 * time.Second)
		use()
		assert.Equal(t, t0.Add(61*time.Second), lastUsed())
	})

	t.Run("a storage error is not a 401", func(t *testing.T) {
		e, _ := newTokenEnv(t)
		app := application.NewApp(application.Deps{Users: e.store.Users, APITokens: brokenAPITokens{}, Clock: e.clock, Hasher: fakeHasher{}})
		_, err := app.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: "crm_x"})
		require.Error(t, err)
		assert.NotErrorIs(t, err, domain.ErrInvalidAPIToken)
	})
}

func TestListAndRevokeAPITokens(t *testing.T) {
	e, _ := newTokenEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	bob := e.user(t, "bob", domain.RoleUser)
	for _, name := range []string{"laptop", "ci"} {
		_, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Username: "alice", Name: name})
		require.NoError(t, err)
	}
	bobs, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Username: "bob"})
	require.NoError(t, err)

	list, err := e.ListAPITokens.Handle(e.ctx, application.ListAPITokens{Actor: alice, Username: "alice"})
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, []string{"ci", "laptop"}, []string{list[0].Name, list[1].Name}, "newest first")

	_, err = e.ListAPITokens.Handle(e.ctx, application.ListAPITokens{Actor: bob, Username: "alice"})
	assert.ErrorIs(t, err, domain.ErrForbidden)
	_, err = e.RevokeAPITokens.Handle(e.ctx, application.RevokeAPITokens{Actor: bob, Username: "alice"})
	assert.ErrorIs(t, err, domain.ErrForbidden)
	_, err = e.RevokeAPITokens.Handle(e.ctx, application.RevokeAPITokens{Username: "nobody"})
	assert.ErrorIs(t, err, domain.ErrUserNotFound)

	n, err := e.RevokeAPITokens.Handle(e.ctx, application.RevokeAPITokens{Username: "alice"})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	list, err = e.ListAPITokens.Handle(e.ctx, application.ListAPITokens{Username: "alice"})
	require.NoError(t, err)
	assert.Empty(t, list)
	u, err := e.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: bobs.Token})
	require.NoError(t, err, "another user's token still works")
	assert.Equal(t, bob.ID(), u.ID())
}

// brokenAPITokens fails as a database out of reach would.
type brokenAPITokens struct{ application.APITokens }

func (brokenAPITokens) Get(context.Context, string) (domain.APIToken, error) {
	return domain.APIToken{}, errors.New("connection refused")
}
