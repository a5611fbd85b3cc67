package application

import (
	"context"
	"time"

	"crm/domain"
)

// Client is where a request comes from, as the edge saw it. The edges put
// it in the request's context (WithClient); a login records it on the
// session it starts, for the account page's list of sessions.
type Client struct {
	UserAgent string // as sent, already made valid text by the edge
	Address   string // the client's IP address
}

type clientKey struct{}

// WithClient is how an edge tells a login made with ctx where the request
// came from; the session it starts records c.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ClientFrom returns the Client ctx carries, or the zero Client (a login
// from the command line or a test).
func ClientFrom(ctx context.Context) Client {
	c, _ := ctx.Value(clientKey{}).(Client)
	return c
}

// newSession returns a new session token for userID and the session to
// store for it: starting now, seen now, from ctx's Client.
func newSession(ctx context.Context, userID int64, now time.Time) (string, domain.Session) {
	token := NewSecretToken()
	c := ClientFrom(ctx)
	return token, domain.Session{
		TokenHash: HashToken(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(SessionLifetime),
		UserAgent: c.UserAgent, Address: c.Address, LastSeenAt: now,
	}
}
