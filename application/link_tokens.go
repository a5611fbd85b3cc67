package application

import (
	"context"
	"time"

	"crm/domain"
)

// LinkTokenLifetime is how long a Telegram link token may be used.
const LinkTokenLifetime = 15 * time.Minute

// LinkTokenKeep is how long a token is kept after it expires, so that a late
// click is still told "used" or "expired" rather than "unknown". A used token
// expires after its use, so it is kept at least this long after that too.
const LinkTokenKeep = 7 * 24 * time.Hour

// LinkTokenMaxLen is the longest token the bot accepts; Telegram allows 64
// characters of [A-Za-z0-9_-] in a start parameter.
const LinkTokenMaxLen = 64

// LinkTokens stores the one-time tokens that bind a Telegram chat to an
// account, by the hash of the token.
type LinkTokens interface {
	// Issue stores t as the only usable token of its user: every older
	// unused token of that user expires at t.CreatedAt.
	Issue(ctx context.Context, t domain.LinkToken) error
	// Consume marks the token whose hash is tokenHash as used at now and
	// returns it. It is atomic: of two concurrent calls with one token, one
	// wins and the other gets ErrLinkTokenUsed. Errors: ErrLinkTokenInvalid
	// for an unknown hash, ErrLinkTokenUsed, ErrLinkTokenExpired.
	Consume(ctx context.Context, tokenHash string, now time.Time) (domain.LinkToken, error)
	// DeleteStale deletes every token, used or not, that expired before
	// before and returns how many it deleted. A token expires no earlier than
	// its use (Consume refuses an expired one), so no token used at or after
	// before is deleted. Concurrent calls are harmless.
	DeleteStale(ctx context.Context, before time.Time) (int, error)
}

// validLinkToken reports whether s can be a token at all: 1–64 characters
// of the URL-safe base64 alphabet. Anything else is refused without asking
// storage.
func validLinkToken(s string) bool {
	if s == "" || len(s) > LinkTokenMaxLen {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
