package bootstrap

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/argon2"
	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
)

// testArgon2 are argon2id costs small enough for tests.
var testArgon2 = argon2.Params{Memory: 64, Time: 1, Threads: 1}

// verifies reports whether password matches hash, failing the test on an
// error (a busy hasher).
func verifies(t *testing.T, h application.PasswordHasher, hash, password string) bool {
	t.Helper()
	ok, err := h.Verify(context.Background(), hash, password)
	require.NoError(t, err)
	return ok
}

func TestConfigPasswordHashingDefaults(t *testing.T) {
	c, err := load(t, nil)
	require.NoError(t, err)
	assert.Equal(t, argon2.Params{Memory: 19456, Time: 2, Threads: 1}, c.Argon2, "OWASP's m=19 MiB, t=2, p=1")
	assert.Equal(t, argon2.DefaultQueue, c.HashQueue)

	c, err = load(t, map[string]string{"CRM_ARGON2_PARAMS": "m=64,t=1,p=1", "CRM_HASH_QUEUE": "0"})
	require.NoError(t, err)
	assert.Equal(t, testArgon2, c.Argon2)
	assert.Equal(t, 0, c.HashQueue)
}

func TestConfigBadPasswordHashingNamesTheVariable(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"CRM_ARGON2_PARAMS": {"CRM_ARGON2_PARAMS": "m=4,t=1,p=1"},
		"CRM_HASH_QUEUE":    {"CRM_HASH_QUEUE": "-1"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := load(t, env)
			require.Error(t, err)
			assert.Contains(t, err.Error(), name)
		})
	}
}

// The demo accounts break the password policy on purpose and keep their
// passwords: the demo writes them directly, hashed with argon2id.
func TestDemoAccountsKeepTheirPasswords(t *testing.T) {
	ctx := context.Background()
	store := memory.NewStore()
	hasher := argon2.New(testArgon2, 1, 8)
	require.NoError(t, loadDemo(ctx, store.Users, store.Tickets, hasher, fixedClock{}, io.Discard))
	for _, a := range demoAccounts {
		require.Error(t, domain.ValidatePassword(a.username, a.password, a.password), "%s breaks the policy", a.username)
		u, err := store.Users.GetByUsername(ctx, a.username)
		require.NoError(t, err)
		assert.True(t, verifies(t, hasher, u.PasswordHash(), a.password), a.username)
		assert.False(t, hasher.NeedsRehash(u.PasswordHash()), "%s has an argon2id hash", a.username)
	}
}
