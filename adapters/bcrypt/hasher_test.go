package bcrypt_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	xbcrypt "golang.org/x/crypto/bcrypt"

	"crm/adapters/bcrypt"
)

func TestHasherVerifiesOnlyTheRightPassword(t *testing.T) {
	h := bcrypt.New(xbcrypt.MinCost)
	hash, err := h.Hash("correct horse")
	require.NoError(t, err)
	assert.NotContains(t, hash, "correct horse", "the hash must not hold the password")
	assert.True(t, h.Verify(hash, "correct horse"))
	assert.False(t, h.Verify(hash, "correct horsf"))
	assert.False(t, h.Verify("not a hash", "correct horse"))
}

func TestHasherSaltsEachHash(t *testing.T) {
	h := bcrypt.New(xbcrypt.MinCost)
	a, err := h.Hash("same password")
	require.NoError(t, err)
	b, err := h.Hash("same password")
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
}
