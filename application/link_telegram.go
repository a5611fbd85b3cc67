package application

import (
	"context"
	"errors"
	"fmt"

	"crm/domain"
)

// LinkTelegram binds the chat that sent "/start <Token>" to the account the
// token was issued for.
type LinkTelegram struct {
	Token  string
	ChatID int64
}

type LinkTelegramHandler struct {
	tokens LinkTokens
	users  Users
	clock  Clock
}

func NewLinkTelegramHandler(tokens LinkTokens, users Users, clock Clock) LinkTelegramHandler {
	return LinkTelegramHandler{tokens: tokens, users: users, clock: clock}
}

// Handle spends the token and links the chat, moving it away from another
// account that had it, and returns the linked user. Errors:
// ErrLinkTokenInvalid for a malformed or unknown token, ErrLinkTokenUsed,
// ErrLinkTokenExpired (nothing is linked then), ErrAccountDisabled for a
// deactivated account, and storage errors (the token is spent by then).
func (h LinkTelegramHandler) Handle(ctx context.Context, cmd LinkTelegram) (*domain.User, error) {
	if !validLinkToken(cmd.Token) || cmd.ChatID == 0 {
		return nil, domain.ErrLinkTokenInvalid
	}
	now := h.clock.Now()
	tok, err := h.tokens.Consume(ctx, HashToken(cmd.Token), now)
	if err != nil {
		return nil, err
	}
	// The chat column is unique: take the chat from whoever had it first.
	if err := unlinkChat(ctx, h.users, cmd.ChatID, tok.UserID); err != nil {
		return nil, err
	}
	var linked *domain.User
	err = h.users.Update(ctx, tok.UserID, func(u *domain.User) error {
		if !u.Active() {
			return domain.ErrAccountDisabled
		}
		u.LinkTelegram(cmd.ChatID, now)
		linked = u
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("link chat to user %d: %w", tok.UserID, err)
	}
	return linked, nil
}

// unlinkChat removes chatID from the user it is linked to, unless that is
// keep.
func unlinkChat(ctx context.Context, users Users, chatID, keep int64) error {
	other, err := users.GetByTelegramChat(ctx, chatID)
	if errors.Is(err, domain.ErrUserNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find user of chat: %w", err)
	}
	if other.ID() == keep {
		return nil
	}
	err = users.Update(ctx, other.ID(), func(u *domain.User) error {
		if c, ok := u.TelegramChatID(); ok && c == chatID {
			u.UnlinkTelegram()
		}
		return nil
	})
	if err != nil && !errors.Is(err, domain.ErrUserNotFound) {
		return fmt.Errorf("unlink chat from user %d: %w", other.ID(), err)
	}
	return nil
}
