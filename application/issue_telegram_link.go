package application

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"crm/domain"
)

// IssueTelegramLink makes a new one-time token with which Actor's Telegram
// chat can be linked.
type IssueTelegramLink struct {
	Actor *domain.User
}

// TelegramLink is what the account page shows after IssueTelegramLink.
type TelegramLink struct {
	Token     string
	ExpiresAt time.Time
	// Command is the text to send to the bot: "/start <token>".
	Command string
	// URL is https://t.me/<bot>?start=<token>, or "" while the bot's
	// username is not known.
	URL string
	// BotUsername is the bot to talk to, or "" while it is not known.
	BotUsername string
}

type IssueTelegramLinkHandler struct {
	tokens LinkTokens
	bot    BotProfile
	clock  Clock
}

// NewIssueTelegramLinkHandler takes a nil bot when Telegram is off.
func NewIssueTelegramLinkHandler(tokens LinkTokens, bot BotProfile, clock Clock) IssueTelegramLinkHandler {
	return IssueTelegramLinkHandler{tokens: tokens, bot: bot, clock: clock}
}

// Handle stores the hash of a new token valid for LinkTokenLifetime, which
// invalidates the actor's previous one, and returns the token. Errors:
// ErrTelegramDisabled when Telegram is off.
func (h IssueTelegramLinkHandler) Handle(ctx context.Context, cmd IssueTelegramLink) (TelegramLink, error) {
	if h.bot == nil {
		return TelegramLink{}, domain.ErrTelegramDisabled
	}
	now := h.clock.Now()
	token := NewSecretToken()
	t := domain.LinkToken{TokenHash: HashToken(token), UserID: cmd.Actor.ID(), CreatedAt: now, ExpiresAt: now.Add(LinkTokenLifetime)}
	if err := h.tokens.Issue(ctx, t); err != nil {
		return TelegramLink{}, fmt.Errorf("issue link token: %w", err)
	}
	return NewTelegramLink(token, t.ExpiresAt, h.bot.BotUsername()), nil
}

// NewTelegramLink words a link token for the account page: the command to
// send to bot and, when bot's username is known, the t.me deep link.
func NewTelegramLink(token string, expiresAt time.Time, bot string) TelegramLink {
	link := TelegramLink{Token: token, ExpiresAt: expiresAt, Command: "/start " + token, BotUsername: bot}
	if bot != "" {
		link.URL = "https://t.me/" + url.PathEscape(bot) + "?start=" + token
	}
	return link
}
