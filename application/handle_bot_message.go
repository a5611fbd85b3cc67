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
	// ReplyTo is the message this one replies to, 0 for none: a reply to
	// the bot's message about a ticket is a comment on that ticket.
	ReplyTo int
	// File is the photo or document the message carries, nil for none;
	// Text is then its caption.
	File *BotFile
	// Unsupported says the message carries what the desk does not keep (a
	// sticker, a voice note, a location…).
	Unsupported bool
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
	// URL is the site (ReplyHelp) or the ticket's page; "" without
	// CRM_PUBLIC_URL.
	URL string
	// TicketID is the ticket the reply is about, 0 for none; the adapter
	// remembers the sent message as about it, so a reply to it threads.
	TicketID int64
	Title    string
	Status   string
	Value    string // the chosen ticket type (ReplyDescribe)
	Tickets  []BotTicketLine
	Comments []BotCommentLine // the last ones the person may see (ReplyTicket)
	Buttons  [][]BotButton
	// Cut says the person's text was longer than the desk keeps and was cut
	// at a word; the reply says so.
	Cut bool
}

type HandleBotMessageHandler struct {
	link      LinkTelegramHandler
	unlink    UnlinkTelegramChatHandler
	users     Users
	bot       *botTickets // nil: the bot only links and unlinks
	publicURL string
}

func NewHandleBotMessageHandler(tokens LinkTokens, users Users, clock Clock) HandleBotMessageHandler {
	return HandleBotMessageHandler{
		link:   NewLinkTelegramHandler(tokens, users, clock),
		unlink: NewUnlinkTelegramChatHandler(users),
		users:  users,
	}
}

// Handle runs the command in the message: "/start <token>" links the chat,
// "/stop" unlinks it. With tickets (TelegramDeps.Tickets), a linked chat
// may also /new, /cancel, /tickets, reply to the bot's message about a
// ticket, or send a plain message (see botTickets); an unlinked one gets
// the help text with the site's address. Anything else (and a text that
// is not domain.ValidText) gets the help text (never an echo). It
// returns the reply to send; an error is a storage failure, to be logged
// and answered with an apology.
func (h HandleBotMessageHandler) Handle(ctx context.Context, cmd HandleBotMessage) (BotReply, error) {
	lang := cmd.LanguageCode
	if !domain.ValidText(lang) {
		lang = ""
	}
	if !domain.ValidText(cmd.Text) && h.bot == nil { // not text: no command in it, nothing to look up
		return h.reply(ctx, cmd.ChatID, lang, ReplyHelp), nil
	}
	name, args := parseBotCommand(cmd.Text)
	if cmd.File != nil || cmd.Unsupported { // a caption is not a command
		if h.bot == nil { // a bot that only links has nothing to do with files
			return BotReply{Kind: ReplyNone, Language: lang}, nil
		}
		name, args = "", ""
	}
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
	}
	if h.bot != nil {
		return h.linked(ctx, cmd, lang, name)
	}
	return h.reply(ctx, cmd.ChatID, lang, ReplyHelp), nil
}

// linked answers whatever is not /start or /stop, for the person whose
// chat it is; a chat that is not linked learns how to link it.
func (h HandleBotMessageHandler) linked(ctx context.Context, cmd HandleBotMessage, lang, name string) (BotReply, error) {
	u, err := h.users.GetByTelegramChat(ctx, cmd.ChatID)
	switch {
	case errors.Is(err, domain.ErrUserNotFound):
		if !cmd.Private && name == "" { // a group's talk is not for the bot
			return BotReply{Kind: ReplyNone, Language: lang}, nil
		}
		return BotReply{Kind: ReplyHelp, Language: lang, URL: h.publicURL}, nil
	case err != nil:
		return BotReply{Language: lang}, fmt.Errorf("find the chat's account: %w", err)
	}
	lang = firstNonEmpty(u.Language(), lang)
	if !u.Active() {
		return BotReply{Kind: ReplyAccountDisabled, Language: lang}, nil
	}
	return h.bot.handle(ctx, u, lang, cmd, name)
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
