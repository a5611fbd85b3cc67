// Package argon2 hashes passwords with argon2id (golang.org/x/crypto/argon2)
// and checks both its own hashes and the bcrypt hashes stored before it, so
// that those can be replaced at the next login.
package argon2

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	xargon2 "golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"

	"crm/application"
)

// Params are argon2id's costs: Memory in KiB, Time in passes over it,
// Threads the lanes (and goroutines) of one hash.
type Params struct {
	Memory  uint32
	Time    uint32
	Threads uint8
}

// DefaultParams are OWASP's second recommended set for argon2id (Password
// Storage Cheat Sheet: m=19 MiB, t=2, p=1; its sets are of equal strength,
// trading memory for passes). Why this one, on the 2-core machines the desk
// runs on: a hash takes about 60 ms of one core here, close to the bcrypt
// cost 11 it replaces, so logins per second stay where they were; 19 MiB a
// hash keeps a full set of slots well inside a small server's memory (the
// 46 MiB set would double the garbage each login leaves), while still
// costing a GPU attacker 19 MiB per guess; p=1 because a hash's parallelism
// would only take the core the slots leave to the pages.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// DefaultQueue is how many hashes may wait for a slot by default: with one
// slot and about 60 ms a hash, the last in line waits about a second.
const DefaultQueue = 16

const (
	saltLen = 16
	keyLen  = 32
)

// Hasher implements application.PasswordHasher with argon2id.
type Hasher struct {
	params Params
	gate   *gate
}

var _ application.PasswordHasher = (*Hasher)(nil)

// New returns a Hasher that makes argon2id hashes with p, runs at most slots
// hashes at once (DefaultSlots for production) and lets at most queue more
// wait for one. Params are checked by ParseParams; tests may use tiny ones.
func New(p Params, slots, queue int) *Hasher {
	return &Hasher{params: p, gate: newGate(slots, queue)}
}

// Hash returns password's argon2id hash as a PHC string,
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>. The password is put in
// Unicode normal form C first, so that "й" typed as one character or as
// "и" and a combining breve is the same password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("argon2: salt: %w", err)
	}
	if err := h.gate.enter(ctx); err != nil {
		return "", err
	}
	key := derive(password, salt, h.params, keyLen)
	h.gate.leave()
	return encode(h.params, salt, key), nil
}

// Verify reports whether password matches an argon2id hash (with whatever
// parameters it was made) or a bcrypt hash. A malformed hash matches
// nothing. Errors: application.ErrBusy, or ctx's.
func (h *Hasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	if isBcrypt(hash) {
		if err := h.gate.enter(ctx); err != nil {
			return false, err
		}
		defer h.gate.leave()
		// bcrypt hashed the bytes as they were typed, without normalising.
		return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil, nil
	}
	p, salt, key, err := decode(hash)
	if err != nil {
		return false, nil
	}
	if err := h.gate.enter(ctx); err != nil {
		return false, err
	}
	got := derive(password, salt, p, uint32(len(key)))
	h.gate.leave()
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether hash is not an argon2id hash with the
// Hasher's parameters: a bcrypt hash, older parameters, or garbage.
func (h *Hasher) NeedsRehash(hash string) bool {
	p, salt, key, err := decode(hash)
	return err != nil || p != h.params || len(salt) != saltLen || len(key) != keyLen
}

func derive(password string, salt []byte, p Params, n uint32) []byte {
	return xargon2.IDKey([]byte(norm.NFC.String(password)), salt, p.Time, p.Memory, p.Threads, n)
}

func isBcrypt(hash string) bool {
	return strings.HasPrefix(hash, "$2a$") || strings.HasPrefix(hash, "$2b$") || strings.HasPrefix(hash, "$2y$")
}

var b64 = base64.RawStdEncoding

func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		xargon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

var errMalformed = errors.New("not an argon2id hash")

// decode reads a PHC string made by encode.
func decode(hash string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(xargon2.Version) {
		return Params{}, nil, nil, errMalformed
	}
	p, err = ParseParams(parts[3])
	if err != nil {
		return Params{}, nil, nil, err
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return Params{}, nil, nil, errMalformed
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 64 {
		return Params{}, nil, nil, errMalformed
	}
	return p, salt, key, nil
}

// Bounds of ParseParams: argon2 needs 8 KiB per thread; beyond 1 GiB or
// 64 passes a login would take seconds.
const (
	maxMemory = 1 << 20
	maxTime   = 64
)

// ParseParams reads parameters written as in a PHC string, "m=19456,t=2,p=1"
// (memory in KiB), in that order; m must be at least 8 KiB per thread.
func ParseParams(s string) (Params, error) {
	var m, t, p uint64
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return Params{}, fmt.Errorf("want m=KiB,t=passes,p=threads, such as m=19456,t=2,p=1")
	}
	for i, f := range []struct {
		name string
		v    *uint64
		max  uint64
	}{{"m", &m, maxMemory}, {"t", &t, maxTime}, {"p", &p, 255}} {
		val, ok := strings.CutPrefix(fields[i], f.name+"=")
		n, err := strconv.ParseUint(val, 10, 32)
		if !ok || err != nil || n == 0 || n > f.max {
			return Params{}, fmt.Errorf("want %s= a whole number from 1 to %d in %q", f.name, f.max, s)
		}
		*f.v = n
	}
	if m < 8*p {
		return Params{}, fmt.Errorf("want m at least 8 KiB per thread (p) in %q", s)
	}
	return Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(p)}, nil
}

// String writes p as ParseParams reads it.
func (p Params) String() string {
	return fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Time, p.Threads)
}
