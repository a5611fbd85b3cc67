package application

import (
	"context"
	"errors"
	"fmt"

	"crm/domain"
)

// UnlinkTelegram removes the Telegram chat from Actor's account (the
// account page's button).
type UnlinkTelegram struct {
	Actor *domain.User
}

type UnlinkTelegramHandler struct {
	users Users
}

func NewUnlinkTelegramHandler(users Users) UnlinkTelegramHandler {
	return UnlinkTelegramHandler{users: users}
}

// Handle unlinks; unlinking an account without a chat is not an error.
// Errors: ErrUserNotFound.
func (h UnlinkTelegramHandler) Handle(ctx context.Context, cmd UnlinkTelegram) error {
	return h.users.Update(ctx, cmd.Actor.ID(), func(u *domain.User) error {
		u.UnlinkTelegram()
		return nil
	})
}

// UnlinkTelegramChat removes a chat from whichever account has it: the
// bot's /stop, and a chat that blocked the bot.
type UnlinkTelegramChat struct {
	ChatID int64
}

type UnlinkTelegramChatHandler struct {
	users Users
}

func NewUnlinkTelegramChatHandler(users Users) UnlinkTelegramChatHandler {
	return UnlinkTelegramChatHandler{users: users}
}

// Handle unlinks the chat and returns the user it was linked to, or
// ErrTelegramNotLinked when no account has it.
func (h UnlinkTelegramChatHandler) Handle(ctx context.Context, cmd UnlinkTelegramChat) (*domain.User, error) {
	u, err := h.users.GetByTelegramChat(ctx, cmd.ChatID)
	if errors.Is(err, domain.ErrUserNotFound) {
		return nil, domain.ErrTelegramNotLinked
	}
	if err != nil {
		return nil, fmt.Errorf("find user of chat: %w", err)
	}
	unlinked := false
	err = h.users.Update(ctx, u.ID(), func(u *domain.User) error {
		if c, ok := u.TelegramChatID(); ok && c == cmd.ChatID {
			unlinked = u.UnlinkTelegram()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("unlink chat from user %d: %w", u.ID(), err)
	}
	if !unlinked {
		return nil, domain.ErrTelegramNotLinked // someone else moved it meanwhile
	}
	return u, nil
}
