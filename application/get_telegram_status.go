package application

import (
	"context"

	"crm/domain"
)

// GetTelegramStatus tells the account page whether Telegram is on and
// whether Actor's chat is linked.
type GetTelegramStatus struct {
	Actor *domain.User
}

// TelegramStatus is the answer of GetTelegramStatus.
type TelegramStatus struct {
	Enabled     bool   // false: Telegram is off, notifications are only logged
	Linked      bool   // the actor has a linked chat
	BotUsername string // "" while not known
}

type GetTelegramStatusHandler struct {
	users Users
	bot   BotProfile
}

// NewGetTelegramStatusHandler takes a nil bot when Telegram is off.
func NewGetTelegramStatusHandler(users Users, bot BotProfile) GetTelegramStatusHandler {
	return GetTelegramStatusHandler{users: users, bot: bot}
}

// Handle reads the actor afresh, so a link made by the bot a moment ago
// shows. Errors: ErrUserNotFound.
func (h GetTelegramStatusHandler) Handle(ctx context.Context, q GetTelegramStatus) (TelegramStatus, error) {
	u, err := h.users.Get(ctx, q.Actor.ID())
	if err != nil {
		return TelegramStatus{}, err
	}
	_, linked := u.TelegramChatID()
	st := TelegramStatus{Enabled: h.bot != nil, Linked: linked}
	if h.bot != nil {
		st.BotUsername = h.bot.BotUsername()
	}
	return st, nil
}
