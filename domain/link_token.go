package domain

import (
	"errors"
	"time"
)

// ErrTelegramDisabled: the server runs without a Telegram bot, so a chat
// cannot be linked.
var ErrTelegramDisabled = errors.New("telegram is not configured")

// LinkToken lets whoever holds it bind a Telegram chat to the account of
// UserID, once, before ExpiresAt. Only the hash of the token is stored.
type LinkToken struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero: not used yet
}

// Used reports whether the token was already spent.
func (t LinkToken) Used() bool { return !t.UsedAt.IsZero() }

// Check returns nil when the token may be used at now, ErrLinkTokenUsed when
// it was spent, or ErrLinkTokenExpired when its time is over (a token that
// a newer one replaced counts as expired).
func (t LinkToken) Check(now time.Time) error {
	switch {
	case t.Used():
		return ErrLinkTokenUsed
	case !now.Before(t.ExpiresAt):
		return ErrLinkTokenExpired
	}
	return nil
}
