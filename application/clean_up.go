package application

import (
	"context"
	"errors"
	"fmt"
)

// CleanUp deletes what has outlived its use: sessions that are over, and
// Telegram link tokens that expired more than LinkTokenKeep ago.
type CleanUp struct{}

// CleanedUp counts what a CleanUp deleted.
type CleanedUp struct {
	Sessions   int
	LinkTokens int
}

type CleanUpHandler struct {
	sessions   Sessions
	linkTokens LinkTokens
	clock      Clock
}

func NewCleanUpHandler(sessions Sessions, linkTokens LinkTokens, clock Clock) CleanUpHandler {
	return CleanUpHandler{sessions: sessions, linkTokens: linkTokens, clock: clock}
}

// Handle deletes expired sessions and stale link tokens and counts them.
// One failing does not keep the other from running: the counts say what was
// deleted, and the error joins what failed. Running it in several replicas
// at once is harmless.
func (h CleanUpHandler) Handle(ctx context.Context, _ CleanUp) (CleanedUp, error) {
	now := h.clock.Now()
	var out CleanedUp
	var errs []error
	n, err := h.sessions.DeleteExpired(ctx, now)
	if err != nil {
		errs = append(errs, fmt.Errorf("clean up sessions: %w", err))
	}
	out.Sessions = n
	n, err = h.linkTokens.DeleteStale(ctx, now.Add(-LinkTokenKeep))
	if err != nil {
		errs = append(errs, fmt.Errorf("clean up link tokens: %w", err))
	}
	out.LinkTokens = n
	return out, errors.Join(errs...)
}
