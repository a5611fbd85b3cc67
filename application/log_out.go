package application

import "context"

// LogOut ends the session whose cookie holds Token.
type LogOut struct {
	Token string
}

// LogOutHandler handles LogOut.
type LogOutHandler struct {
	sessions Sessions
}

// NewLogOutHandler returns a LogOutHandler.
func NewLogOutHandler(sessions Sessions) LogOutHandler { return LogOutHandler{sessions: sessions} }

// Handle ends the session; an unknown token is not an error.
func (h LogOutHandler) Handle(ctx context.Context, cmd LogOut) error {
	if cmd.Token == "" {
		return nil
	}
	return h.sessions.Delete(ctx, HashToken(cmd.Token))
}
