// Package bcrypt hashes passwords with golang.org/x/crypto/bcrypt.
package bcrypt

import (
	"fmt"

	"golang.org/x/crypto/bcrypt"

	"crm/application"
)

// DefaultCost is the work factor for production: about 50 ms a hash on a
// small server, slow enough to make guessing expensive.
const DefaultCost = 11

// Hasher implements application.PasswordHasher.
type Hasher struct {
	cost int
}

var _ application.PasswordHasher = (*Hasher)(nil)

// New returns a Hasher with the given cost; tests use bcrypt.MinCost.
func New(cost int) *Hasher {
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		cost = DefaultCost
	}
	return &Hasher{cost: cost}
}

// Hash returns the bcrypt hash of password. Passwords longer than 72 bytes
// are refused by bcrypt; the domain's policy refuses them earlier.
func (h *Hasher) Hash(password string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(password), h.cost)
	if err != nil {
		return "", fmt.Errorf("bcrypt: %w", err)
	}
	return string(b), nil
}

// Verify reports whether password matches hash.
func (h *Hasher) Verify(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
