package argon2_test

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	xargon2 "golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"

	"crm/adapters/argon2"
)

// tiny parameters keep the tests fast; the format and the checks are the
// same as with the real ones.
var tiny = argon2.Params{Memory: 64, Time: 1, Threads: 1}

func newTiny() *argon2.Hasher { return argon2.New(tiny, 1, 4) }

func TestHashIsAnArgon2idPHCStringWithTheDefaultParameters(t *testing.T) {
	h := argon2.New(argon2.DefaultParams, 1, 0)
	hash, err := h.Hash(t.Context(), "correct horse")
	require.NoError(t, err)
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$`)
	m := re.FindStringSubmatch(hash)
	require.NotNil(t, m, "PHC string of argon2id with OWASP's m=19 MiB, t=2, p=1: %s", hash)

	// Anyone's argon2id gives the same key from that salt and parameters.
	salt, err := base64.RawStdEncoding.DecodeString(m[1])
	require.NoError(t, err)
	key := xargon2.IDKey([]byte("correct horse"), salt, 2, 19*1024, 1, 32)
	assert.Equal(t, base64.RawStdEncoding.EncodeToString(key), m[2])
	assert.False(t, h.NeedsRehash(hash))
}

func TestVerifyAcceptsOnlyTheRightPassword(t *testing.T) {
	h := newTiny()
	hash, err := h.Hash(t.Context(), "correct horse")
	require.NoError(t, err)
	assert.NotContains(t, hash, "correct horse", "the hash must not hold the password")
	for password, want := range map[string]bool{"correct horse": true, "correct horsf": false, "Correct horse": false, "": false} {
		ok, err := h.Verify(t.Context(), hash, password)
		require.NoError(t, err)
		assert.Equal(t, want, ok, password)
	}
}

func TestHashSaltsEachHash(t *testing.T) {
	h := newTiny()
	a, err := h.Hash(t.Context(), "same password")
	require.NoError(t, err)
	b, err := h.Hash(t.Context(), "same password")
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
}

// bcrypt refuses passwords over 72 bytes; a 40-letter Cyrillic passphrase
// is 80. Every byte counts: two passwords that differ only past byte 72
// are different passwords.
func TestLongPasswordsOfAnyScriptAreHashedWhole(t *testing.T) {
	h := newTiny()
	for name, password := range map[string]string{
		"80 bytes of Cyrillic": strings.Repeat("ёжиквтумане", 8)[:80],
		"73 bytes":             strings.Repeat("x", 73),
		"128 bytes":            strings.Repeat("tqz8-mv3", 16),
		"256 Cyrillic letters": strings.Repeat("щука", 64),
	} {
		t.Run(name, func(t *testing.T) {
			hash, err := h.Hash(t.Context(), password)
			require.NoError(t, err)
			ok, err := h.Verify(t.Context(), hash, password)
			require.NoError(t, err)
			assert.True(t, ok)
			ok, err = h.Verify(t.Context(), hash, password[:72])
			require.NoError(t, err)
			assert.False(t, ok, "the first 72 bytes alone are not the password")
		})
	}
}

func TestTheSameLettersTypedAnotherWayAreTheSamePassword(t *testing.T) {
	h := newTiny()
	composed, decomposed := "й-пароль-ёж", "и\u0306-пароль-е\u0308ж"
	require.NotEqual(t, composed, decomposed)
	hash, err := h.Hash(t.Context(), composed)
	require.NoError(t, err)
	ok, err := h.Verify(t.Context(), hash, decomposed)
	require.NoError(t, err)
	assert.True(t, ok)
}

func TestVerifyChecksBcryptHashesAndAsksForTheirRehash(t *testing.T) {
	h := newTiny()
	old, err := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	require.NoError(t, err)

	ok, err := h.Verify(t.Context(), string(old), "correct horse")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = h.Verify(t.Context(), string(old), "correct horsf")
	require.NoError(t, err)
	assert.False(t, ok)
	assert.True(t, h.NeedsRehash(string(old)), "bcrypt hashes are replaced at the next login")
}

func TestNeedsRehashWhenTheParametersChange(t *testing.T) {
	hash, err := newTiny().Hash(t.Context(), "correct horse")
	require.NoError(t, err)
	assert.False(t, newTiny().NeedsRehash(hash))

	stronger := argon2.New(argon2.Params{Memory: 128, Time: 2, Threads: 1}, 1, 0)
	assert.True(t, stronger.NeedsRehash(hash))
	ok, err := stronger.Verify(t.Context(), hash, "correct horse")
	require.NoError(t, err)
	assert.True(t, ok, "a hash is checked with the parameters it was made with")
}

func TestMalformedHashesMatchNothing(t *testing.T) {
	h := newTiny()
	good, err := h.Hash(t.Context(), "correct horse")
	require.NoError(t, err)
	for _, hash := range []string{
		"", "not a hash", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
		strings.Replace(good, "v=19", "v=16", 1),
		strings.Replace(good, "m=64", "m=0", 1),
		good[:len(good)-10],
		good + "$",
	} {
		ok, err := h.Verify(t.Context(), hash, "correct horse")
		require.NoError(t, err, hash)
		assert.False(t, ok, hash)
		assert.True(t, h.NeedsRehash(hash), hash)
	}
}

func TestParseParams(t *testing.T) {
	p, err := argon2.ParseParams("m=19456,t=2,p=1")
	require.NoError(t, err)
	assert.Equal(t, argon2.DefaultParams, p)
	assert.Equal(t, "m=19456,t=2,p=1", p.String())
	for _, bad := range []string{"", "m=19456,t=2", "t=2,m=19456,p=1", "m=0,t=2,p=1", "m=19456,t=0,p=1",
		"m=19456,t=2,p=0", "m=8,t=1,p=2", "m=19456,t=2,p=256", "m=2097152,t=2,p=1", "m=1e4,t=2,p=1", "m=-1,t=2,p=1"} {
		_, err := argon2.ParseParams(bad)
		assert.Error(t, err, bad)
	}
}
