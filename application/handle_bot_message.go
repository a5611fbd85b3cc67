package application

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"crm/domain"
)

// HandleBotMessage is a text message someone sent the Telegram bot.
type HandleBotMessage struct {
	ChatID  int64
	Private bool   // a one-to-one chat with the bot, not a group
	Text    string // as received
	// LanguageCode is the sender's Telegram language ("ru", "en-GB"), used
	// for the reply until the chat is linked to an account.
	LanguageCode string
}

// BotReplyKind says which answer the bot gives.
type BotReplyKind string

// The bot's answers.
const (
	ReplyLinked          BotReplyKind = "linked"           // /start <token>: the chat is linked to Username
	ReplyTokenMissing    BotReplyKind = "token_missing"    // /start alone: how to link
	ReplyTokenInvalid    BotReplyKind = "token_invalid"    // unknown or malformed token
	ReplyTokenUsed       BotReplyKind = "token_used"       // the token was spent already
	ReplyTokenExpired    BotReplyKind = "token_expired"    // the token is too old or replaced
	ReplyAccountDisabled BotReplyKind = "account_disabled" // the account is deactivated
	ReplyPrivateOnly     BotReplyKind = "private_only"     // linking from a group is refused
	ReplyUnlinked        BotReplyKind = "unlinked"         // /stop: the chat is no longer linked
	ReplyNotLinked       BotReplyKind = "not_linked"       // /stop in a chat that is not linked
	ReplyHelp            BotReplyKind = "help"             // /help and anything else
)

// BotReply is what the bot answers; the adapter words it in Language.
type BotReply struct {
	Kind     BotReplyKind
	Language string // the account's language, else the sender's; "" for unknown
	Username string // the linked account (ReplyLinked, ReplyUnlinked)
}

type HandleBotMessageHandler struct {
	link   LinkTelegramHandler
	unlink UnlinkTelegramChatHandler
	users  Users
}

func NewHandleBotMessageHandler(tokens LinkTokens, users Users, clock Clock) HandleBotMessageHandler {
	return HandleBotMessageHandler{
		link:   NewLinkTelegramHandler(tokens, users, clock),
		unlink: NewUnlinkTelegramChatHandler(users),
		users:  users,
	}
}

// Handle runs the command in the message: "/start <token>" links the chat,
// "/stop" unlinks it, anything else (and a text that is not
// domain.ValidText) gets the help text (never an echo). It
// returns the reply to send; an error is a storage failure, to be logged
// and answered with an apology.
func (h HandleBotMessageHandler) Handle(ctx context.Context, cmd HandleBotMessage) (BotReply, error) {
	lang := cmd.LanguageCode
	if !domain.ValidText(lang) {
		lang = ""
	}
	if !domain.ValidText(cmd.Text) { // not text: no command in it, nothing to look up
		return h.reply(ctx, cmd.ChatID, lang, ReplyHelp), nil
	}
	name, args := parseBotCommand(cmd.Text)
	switch name {
	case "start":
		token, _, _ := strings.Cut(args, " ")
		if token == "" {
			return h.reply(ctx, cmd.ChatID, lang, ReplyTokenMissing), nil
		}
		if !cmd.Private {
			return h.reply(ctx, cmd.ChatID, lang, ReplyPrivateOnly), nil
		}
		u, err := h.link.Handle(ctx, LinkTelegram{Token: token, ChatID: cmd.ChatID})
		switch {
		case err == nil:
			return BotReply{Kind: ReplyLinked, Language: firstNonEmpty(u.Language(), lang), Username: u.Username()}, nil
		case errors.Is(err, domain.ErrLinkTokenInvalid):
			return h.reply(ctx, cmd.ChatID, lang, ReplyTokenInvalid), nil
		case errors.Is(err, domain.ErrLinkTokenUsed):
			return h.reply(ctx, cmd.ChatID, lang, ReplyTokenUsed), nil
		case errors.Is(err, domain.ErrLinkTokenExpired):
			return h.reply(ctx, cmd.ChatID, lang, ReplyTokenExpired), nil
		case errors.Is(err, domain.ErrAccountDisabled):
			return BotReply{Kind: ReplyAccountDisabled, Language: lang}, nil
		default:
			return BotReply{Language: lang}, fmt.Errorf("link chat: %w", err)
		}
	case "stop":
		u, err := h.unlink.Handle(ctx, UnlinkTelegramChat{ChatID: cmd.ChatID})
		switch {
		case err == nil:
			return BotReply{Kind: ReplyUnlinked, Language: firstNonEmpty(u.Language(), lang), Username: u.Username()}, nil
		case errors.Is(err, domain.ErrTelegramNotLinked):
			return BotReply{Kind: ReplyNotLinked, Language: lang}, nil
		default:
			return BotReply{Language: lang}, fmt.Errorf("unlink chat: %w", err)
		}
	default:
		return h.reply(ctx, cmd.ChatID, lang, ReplyHelp), nil
	}
}

// reply answers kind in the language of the account the chat is linked to,
// if any, else in lang. A failure to look the account up only loses the
// preference.
func (h HandleBotMessageHandler) reply(ctx context.Context, chatID int64, lang string, kind BotReplyKind) BotReply {
	if u, err := h.users.GetByTelegramChat(ctx, chatID); err == nil && u.Language() != "" {
		lang = u.Language()
	}
	return BotReply{Kind: kind, Language: lang}
}

// parseBotCommand splits "/start@my_bot  abc" into "start" and "abc". A text
// that is not a command gives "", "".
func parseBotCommand(text string) (name, args string) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") {
		return "", ""
	}
	head, rest, _ := strings.Cut(text, " ")
	if i := strings.IndexFunc(head, unicode.IsSpace); i >= 0 { // a newline or tab after the command
		head, rest = head[:i], head[i+1:]+" "+rest
	}
	head, _, _ = strings.Cut(head[1:], "@")
	return strings.ToLower(head), strings.Join(strings.Fields(rest), " ")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
