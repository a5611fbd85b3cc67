package application

import (
	"context"
	"errors"
	"fmt"

	"crm/domain"
)

// LogOutSession ends one of Actor's own sessions, chosen on the account
// page. The session is named by its token hash: the key it is stored
// under, which logs nobody in (the token itself is never stored).
type LogOutSession struct {
	Actor     *domain.User
	TokenHash string
}

type LogOutSessionHandler struct {
	sessions Sessions
}

func NewLogOutSessionHandler(sessions Sessions) LogOutSessionHandler {
	return LogOutSessionHandler{sessions: sessions}
}

// Handle ends the session. Another person's session and an unknown hash
// are both domain.ErrSessionNotFound, so nobody can probe which hashes
// exist; ending the session that asks is allowed (it logs the actor out).
func (h LogOutSessionHandler) Handle(ctx context.Context, cmd LogOutSession) error {
	s, err := h.sessions.Get(ctx, cmd.TokenHash)
	switch {
	case errors.Is(err, domain.ErrSessionNotFound):
		return domain.ErrSessionNotFound
	case err != nil:
		return fmt.Errorf("get session: %w", err)
	case s.UserID != cmd.Actor.ID():
		return domain.ErrSessionNotFound
	}
	if err := h.sessions.Delete(ctx, cmd.TokenHash); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}
