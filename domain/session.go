package domain

import "time"

// Session is a logged-in browser. Only the hash of its cookie value is
// stored, so a copy of the database does not let anyone log in.
type Session struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	// UserAgent and Address are the browser and the client address that
	// logged in, for the account page's list of sessions.
	UserAgent string
	Address   string
	// LastSeenAt is when the session was last used, recorded at most once
	// a minute; zero: not known (a session from before it was recorded).
	LastSeenAt time.Time
}

// Expired reports whether the session is over at now.
func (s Session) Expired(now time.Time) bool { return !now.Before(s.ExpiresAt) }
