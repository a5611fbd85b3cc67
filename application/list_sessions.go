package application

import (
	"context"
	"fmt"

	"crm/domain"
)

// ListSessions lists Actor's sessions for the account page.
type ListSessions struct {
	Actor *domain.User
	Token string // the session asking, marked Current
}

// SessionView is one of a person's sessions as the account page shows it.
type SessionView struct {
	domain.Session
	Current bool // the session the list was asked from
}

type ListSessionsHandler struct {
	sessions Sessions
	clock    Clock
}

func NewListSessionsHandler(sessions Sessions, clock Clock) ListSessionsHandler {
	return ListSessionsHandler{sessions: sessions, clock: clock}
}

// Handle returns the actor's own sessions that are not over, newest first.
// Expired ones still stored (the janitor has not run yet) are left out.
func (h ListSessionsHandler) Handle(ctx context.Context, q ListSessions) ([]SessionView, error) {
	ss, err := h.sessions.ListForUser(ctx, q.Actor.ID())
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	now, current := h.clock.Now(), HashToken(q.Token)
	out := make([]SessionView, 0, len(ss))
	for _, s := range ss {
		if !s.Expired(now) {
			out = append(out, SessionView{Session: s, Current: q.Token != "" && s.TokenHash == current})
		}
	}
	return out, nil
}

// LogOutOtherSessions ends every session of Actor's but the one asking:
// "log out everywhere else".
type LogOutOtherSessions struct {
	Actor *domain.User
	Token string // the session asking, kept
}

type LogOutOtherSessionsHandler struct {
	sessions Sessions
}

func NewLogOutOtherSessionsHandler(sessions Sessions) LogOutOtherSessionsHandler {
	return LogOutOtherSessionsHandler{sessions: sessions}
}

// Handle ends the actor's other sessions and returns how many there were.
// An empty Token keeps none.
func (h LogOutOtherSessionsHandler) Handle(ctx context.Context, cmd LogOutOtherSessions) (int, error) {
	n, err := h.sessions.DeleteOthers(ctx, cmd.Actor.ID(), HashToken(cmd.Token))
	if err != nil {
		return 0, fmt.Errorf("end other sessions: %w", err)
	}
	return n, nil
}
