package application

// PasswordHasher turns passwords into slow salted hashes and checks them.
type PasswordHasher interface {
	// Hash returns the stored form of password.
	Hash(password string) (string, error)
	// Verify reports whether password matches hash.
	Verify(hash, password string) bool
}
