// Package bcrypt hashes passwords with golang.org/x/crypto/bcrypt.
package bcrypt

import (
	"fmt"
	"runtime"

	"golang.org/x/crypto/bcrypt"

	"crm/application"
)

// DefaultCost is the work factor for production: about 50 ms a hash on a
// small server, slow enough to make guessing expensive.
const DefaultCost = 11

// Hasher implements application.PasswordHasher.
type Hasher struct {
	cost int
	// slots bounds how many hashes run at once. A hash at the default cost
	// takes about 70 ms of one core; without a bound, a burst of logins
	// (or of guesses at random usernames, which cost as much on purpose)
	// would take every core and stall every other page. Logins queue for a
	// slot instead.
	slots chan struct{}
}

var _ application.PasswordHasher = (*Hasher)(nil)

// New returns a Hasher with the given cost; tests use bcrypt.MinCost.
func New(cost int) *Hasher {
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		cost = DefaultCost
	}
	return &Hasher{cost: cost, slots: make(chan struct{}, hashSlots())}
}

// hashSlots leaves at least one core to the rest of the server.
func hashSlots() int { return max(1, runtime.GOMAXPROCS(0)-1) }

// Hash returns the bcrypt hash of password. Passwords longer than 72 bytes
// are refused by bcrypt; the domain's policy refuses them earlier.
func (h *Hasher) Hash(password string) (string, error) {
	h.slots <- struct{}{}
	defer func() { <-h.slots }()
	b, err := bcrypt.GenerateFromPassword([]byte(password), h.cost)
	if err != nil {
		return "", fmt.Errorf("bcrypt: %w", err)
	}
	return string(b), nil
}

// Verify reports whether password matches hash.
func (h *Hasher) Verify(hash, password string) bool {
	h.slots <- struct{}{}
	defer func() { <-h.slots }()
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
