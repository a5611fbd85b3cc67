package domain

import "time"

// Session is a logged-in browser. Only the hash of its cookie value is
// stored, so a copy of the database does not let anyone log in.
type Session struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Expired reports whether the session is over at now.
func (s Session) Expired(now time.Time) bool { return !now.Before(s.ExpiresAt) }
