package domain

import (
	"errors"
	"time"
)

// ErrAPITokenNotFound: no API token has that hash, or the user has no token
// with that id.
var ErrAPITokenNotFound = errors.New("api token not found")

// ErrInvalidAPIToken: the bearer token of a request is unknown, revoked, or
// belongs to an account that is gone or deactivated. The edges answer it
// with 401 without telling which.
var ErrInvalidAPIToken = errors.New("invalid api token")

// APIToken lets a program act as its user through the JSON API. Only the
// hash of the token is stored, so a copy of the database does not let
// anyone in.
type APIToken struct {
	ID         int64
	TokenHash  string
	UserID     int64
	Name       string // a label chosen by whoever issued it
	CreatedAt  time.Time
	LastUsedAt time.Time // zero: never used
}
