package application_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
	"crm/test/testclock"
)

// spyHasher is a fakeHasher that records what it is asked and can be made
// busy.
type spyHasher struct {
	fakeHasher
	mu         sync.Mutex
	verified   []string // the hashes Verify was given
	hashes     int
	busyVerify bool
	busyHash   bool
}

func (s *spyHasher) Hash(ctx context.Context, password string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busyHash {
		return "", application.ErrBusy
	}
	s.hashes++
	return s.fakeHasher.Hash(ctx, password)
}

func (s *spyHasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busyVerify {
		return false, application.ErrBusy
	}
	s.verified = append(s.verified, hash)
	return s.fakeHasher.Verify(ctx, hash, password)
}

// hashEnv is an App whose hasher is a spy.
func hashEnv(t *testing.T) (*env, *spyHasher) {
	t.Helper()
	store := memory.NewStore()
	clock := testclock.NewManual(t0)
	spy := &spyHasher{}
	app := application.NewApp(application.Deps{
		Users: store.Users, Tickets: store.Tickets, Sessions: store.Sessions, Events: store.Events,
		APITokens: memory.NewAPITokens(), Resets: memory.NewPasswordResets(),
		Hasher: spy, Clock: clock, Languages: languages,
	})
	return &env{App: app, ctx: t.Context(), clock: clock, store: store}, spy
}

// legacyUser stores an account whose password hash is in the old format,
// as accounts made before argon2id have bcrypt hashes.
func (e *env) legacyUser(t *testing.T, username, password string) *domain.User {
	t.Helper()
	u, err := domain.NewUser(username, legacyHashPrefix+password, domain.RoleUser, t0)
	require.NoError(t, err)
	require.NoError(t, e.store.Users.Add(e.ctx, u))
	return u
}

func TestLogInUpgradesAnOldHash(t *testing.T) {
	e, spy := hashEnv(t)
	u := e.legacyUser(t, "old_timer", "correct horse")

	in, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "old_timer", Password: "correct horse"})
	require.NoError(t, err)
	assert.Equal(t, fakeHashPrefix+"correct horse", e.reload(t, u).PasswordHash(), "hashed again in the current format")
	assert.Equal(t, fakeHashPrefix+"correct horse", in.User.PasswordHash())

	// The next login checks the new hash and hashes nothing more.
	hashesBefore := spy.hashes
	_, err = e.LogIn.Handle(e.ctx, application.LogIn{Username: "old_timer", Password: "correct horse"})
	require.NoError(t, err)
	assert.Equal(t, hashesBefore, spy.hashes)
	assert.Equal(t, fakeHashPrefix+"correct horse", spy.verified[len(spy.verified)-1])
}

func TestLogInLeavesAnOldHashAloneOnAWrongPassword(t *testing.T) {
	e, _ := hashEnv(t)
	u := e.legacyUser(t, "old_timer", "correct horse")

	_, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "old_timer", Password: "wrong horse"})
	require.ErrorIs(t, err, domain.ErrInvalidCredentials)
	assert.Equal(t, legacyHashPrefix+"correct horse", e.reload(t, u).PasswordHash())
}

func TestLogInStillSucceedsWhenTheUpgradeIsBusy(t *testing.T) {
	e, spy := hashEnv(t)
	u := e.legacyUser(t, "old_timer", "correct horse")
	spy.busyHash = true

	_, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "old_timer", Password: "correct horse"})
	require.NoError(t, err, "the right password is not refused because the upgrade must wait")
	assert.Equal(t, legacyHashPrefix+"correct horse", e.reload(t, u).PasswordHash(), "upgraded at a later login")
}

func TestLogInWithAnUnknownUsernameStillChecksAHash(t *testing.T) {
	e, spy := hashEnv(t)
	e.user(t, "alice", domain.RoleUser)

	_, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: "nobody", Password: "guess-number-1"})
	require.ErrorIs(t, err, domain.ErrInvalidCredentials)
	require.Len(t, spy.verified, 1, "one hash checked, as for a known username")
	assert.True(t, strings.HasPrefix(spy.verified[0], fakeHashPrefix),
		"the dummy hash is one the hasher made, of the current kind: %q", spy.verified[0])
	assert.False(t, spy.NeedsRehash(spy.verified[0]))

	_, err = e.LogIn.Handle(e.ctx, application.LogIn{Username: "alice", Password: "guess-number-1"})
	require.ErrorIs(t, err, domain.ErrInvalidCredentials)
	assert.Len(t, spy.verified, 2, "a known username costs the same one check")
}

func TestLogInAnswersBusyWhenHashingIsFull(t *testing.T) {
	e, spy := hashEnv(t)
	e.user(t, "alice", domain.RoleUser)
	spy.busyVerify = true

	for _, name := range []string{"alice", "nobody"} {
		_, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: name, Password: passwordOf("alice")})
		assert.ErrorIs(t, err, application.ErrBusy, name)
	}
}

func TestRegisterAnswersBusyWhenHashingIsFull(t *testing.T) {
	e, spy := hashEnv(t)
	spy.busyHash = true

	_, err := e.RegisterUser.Handle(e.ctx, application.RegisterUser{
		Username: "newbie", Password: "correct horse", PasswordConfirm: "correct horse",
	})
	require.ErrorIs(t, err, application.ErrBusy)
	_, err = e.store.Users.GetByUsername(e.ctx, "newbie")
	assert.ErrorIs(t, err, domain.ErrUserNotFound, "nothing is stored")
}

func TestRegisterAndLogInWithLongPasswordsOfAnyScript(t *testing.T) {
	for name, password := range map[string]string{
		"a 40-letter Cyrillic passphrase (80 bytes)": strings.Repeat("ёжиквтумане", 8)[:80],
		"128 ASCII characters":                       strings.Repeat("tqz8-mv3", 16),
		"128 Cyrillic characters (256 bytes)":        strings.Repeat("щука-ёж!", 16),
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			_, err := e.RegisterUser.Handle(e.ctx, application.RegisterUser{
				Username: "long_pass", Password: password, PasswordConfirm: password,
			})
			require.NoError(t, err)
			_, err = e.LogIn.Handle(e.ctx, application.LogIn{Username: "long_pass", Password: password})
			require.NoError(t, err)
		})
	}
}

func TestRegisterRefusesGuessablePasswordsAndSaysWhy(t *testing.T) {
	for _, tc := range []struct{ username, password, code string }{
		{"newbie", "password", domain.CodeCommonPassword},
		{"newbie", "aaaaaaaa", domain.CodeRepetitive},
		{"newbie", "newbie2024", domain.CodeBasedOnUsername},
	} {
		t.Run(tc.password, func(t *testing.T) {
			e := newEnv(t)
			_, err := e.RegisterUser.Handle(e.ctx, application.RegisterUser{
				Username: tc.username, Password: tc.password, PasswordConfirm: tc.password,
			})
			verrs, ok := domain.AsValidation(err)
			require.True(t, ok, "want validation errors, got %v", err)
			assert.Equal(t, tc.code, verrs.Field("password"))
		})
	}
}
