package application

import "context"

// LogOut ends the session whose cookie holds Token.
type LogOut struct {
	Token string
}

type LogOutHandler struct {
	sessions Sessions
}

func NewLogOutHandler(sessions Sessions) LogOutHandler { return LogOutHandler{sessions: sessions} }

// Handle ends the session; an empty or unknown token is not an error, so
// logging out twice is harmless.
func (h LogOutHandler) Handle(ctx context.Context, cmd LogOut) error {
	if cmd.Token == "" {
		return nil
	}
	return h.sessions.Delete(ctx, HashToken(cmd.Token))
}
