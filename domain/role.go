package domain

import (
	"fmt"
	"slices"
)

// Role is what a user may do: a closed set, made only by ParseRole or the
// package variables.
type Role struct{ slug string }

// The roles. Staff work the queue; admins also manage users.
var (
	RoleUser  = Role{"user"}
	RoleStaff = Role{"staff"}
	RoleAdmin = Role{"admin"}
)

var roles = [...]Role{RoleUser, RoleStaff, RoleAdmin}

// Roles lists every role in order of privilege, in a new slice each call.
func Roles() []Role { return slices.Clone(roles[:]) }

// ParseRole returns the role named s, or a ValidationError on field "role".
func ParseRole(s string) (Role, error) {
	for _, r := range roles {
		if r.slug == s {
			return r, nil
		}
	}
	return Role{}, ValidationError{Field: "role", Code: CodeInvalid}
}

// MustParseRole is ParseRole for values known to be valid (storage, tests).
func MustParseRole(s string) Role {
	r, err := ParseRole(s)
	if err != nil {
		panic(fmt.Sprintf("domain: invalid role %q", s))
	}
	return r
}

func (r Role) String() string { return r.slug }

// IsZero reports whether r is the zero value (no role).
func (r Role) IsZero() bool { return r.slug == "" }

// IsStaff reports whether r may work the queue (staff and admins).
func (r Role) IsStaff() bool { return r == RoleStaff || r == RoleAdmin }

// IsAdmin reports whether r may manage users.
func (r Role) IsAdmin() bool { return r == RoleAdmin }
