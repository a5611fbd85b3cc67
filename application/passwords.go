package application

import (
	"context"
	"errors"
)

// ErrBusy is returned by a PasswordHasher whose hashing slots and waiting
// line are all taken: the request is refused at once ("try again in a
// moment") rather than queued behind everyone else.
var ErrBusy = errors.New("password hashing is busy")

// PasswordHasher turns passwords into slow salted hashes and checks them.
// Hashing takes a slot of a bounded pool; Hash and Verify wait for one in a
// bounded line, and return ErrBusy when the line is full, or ctx's error
// when the caller gives up first.
type PasswordHasher interface {
	// Hash returns the stored form of password, in the current format.
	Hash(ctx context.Context, password string) (string, error)
	// Verify reports whether password matches hash, whichever supported
	// format hash is in. A malformed hash matches nothing.
	Verify(ctx context.Context, hash, password string) (bool, error)
	// NeedsRehash reports whether hash is in an older format or made with
	// other parameters than Hash uses now, so that it should be replaced
	// the next time the password is known.
	NeedsRehash(hash string) bool
}
