package application

import (
	"context"
	"time"

	"crm/domain"
)

// LinkTokenLifetime is how long a Telegram link token may be used.
const LinkTokenLifetime = 15 * time.Minute

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
