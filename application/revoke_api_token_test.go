package application_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestRevokeAPIToken(t *testing.T) {
	e, _ := newTokenEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	bob := e.user(t, "bob", domain.RoleUser)
	laptop, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Actor: alice, Username: "alice", Name: "laptop"})
	require.NoError(t, err)
	ci, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Actor: alice, Username: "alice", Name: "ci"})
	require.NoError(t, err)

	err = e.RevokeAPIToken.Handle(e.ctx, application.RevokeAPIToken{Actor: bob, ID: laptop.APIToken.ID})
	assert.ErrorIs(t, err, domain.ErrAPITokenNotFound, "bob cannot revoke alice's token")
	require.NoError(t, e.RevokeAPIToken.Handle(e.ctx, application.RevokeAPIToken{Actor: alice, ID: laptop.APIToken.ID}))
	err = e.RevokeAPIToken.Handle(e.ctx, application.RevokeAPIToken{Actor: alice, ID: laptop.APIToken.ID})
	assert.ErrorIs(t, err, domain.ErrAPITokenNotFound, "once")

	_, err = e.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: laptop.Token})
	assert.ErrorIs(t, err, domain.ErrInvalidAPIToken, "the revoked token stops working")
	_, err = e.AuthenticateToken.Handle(e.ctx, application.AuthenticateToken{Token: ci.Token})
	assert.NoError(t, err, "the other one works")
	left, err := e.ListAPITokens.Handle(e.ctx, application.ListAPITokens{Actor: alice, Username: "alice"})
	require.NoError(t, err)
	require.Len(t, left, 1)
	assert.Equal(t, "ci", left[0].Name)
}
