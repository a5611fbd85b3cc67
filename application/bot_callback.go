package application

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"crm/domain"
)

// HandleBotCallback is a press of one of the bot's inline buttons.
type HandleBotCallback struct {
	ChatID       int64
	Private      bool
	MessageID    int    // the bot's message the button is under
	Data         string // the callback data: untrusted, checked before use
	LanguageCode string
}

// BotToast is the short answer to a button press.
type BotToast string

// The short answers.
const (
	ToastNone      BotToast = ""           // the reply says it all
	ToastDone      BotToast = "done"       // done
	ToastStale     BotToast = "stale"      // the button no longer applies: nothing changed
	ToastRefused   BotToast = "refused"    // not a button this person may press: nothing changed
	ToastNotLinked BotToast = "not_linked" // the chat is not linked
	ToastTooMany   BotToast = "too_many"   // BotTicketsPerHour reached
	ToastError     BotToast = "error"      // a failure; logged
)

// BotCallbackResult is what the bot does after a press: a short answer,
// maybe a new message (Reply.Kind set), maybe new buttons for the pressed
// message.
type BotCallbackResult struct {
	Toast        BotToast
	Language     string
	Reply        BotReply
	EditKeyboard bool
	Keyboard     [][]BotButton
}

type HandleBotCallbackHandler struct {
	users  Users
	bot    *botTickets
	assign AssignTicketHandler                                                  // the staff's take button
	rate   func(ctx context.Context, u *domain.User, id int64, stars int) error // RateTicket; nil: rating is not offered
}

func newHandleBotCallbackHandler(d TelegramDeps, bot *botTickets) HandleBotCallbackHandler {
	h := HandleBotCallbackHandler{users: d.Users, bot: bot}
	if bot != nil {
		h.assign = NewAssignTicketHandler(d.Tickets, d.Users, d.Clock)
		rate := NewRateTicketHandler(d.Tickets, d.Clock)
		h.rate = func(ctx context.Context, u *domain.User, id int64, stars int) error {
			return rate.Handle(ctx, RateTicket{Actor: u, TicketID: id, Stars: stars})
		}
	}
	return h
}

// Handle acts on a button press through the use cases, as the person whose
// chat it is. Forged or malformed data, a ticket the person may not act
// on, and a button that no longer applies change nothing and get a short
// answer. An error is a storage failure (Toast is then ToastError).
func (h HandleBotCallbackHandler) Handle(ctx context.Context, cmd HandleBotCallback) (BotCallbackResult, error) {
	lang := cmd.LanguageCode
	if !domain.ValidText(lang) {
		lang = ""
	}
	res := BotCallbackResult{Language: lang}
	if h.bot == nil || !cmd.Private {
		res.Toast = ToastRefused
		return res, nil
	}
	u, err := h.users.GetByTelegramChat(ctx, cmd.ChatID)
	switch {
	case errors.Is(err, domain.ErrUserNotFound):
		res.Toast = ToastNotLinked
		return res, nil
	case err != nil:
		res.Toast = ToastError
		return res, fmt.Errorf("find the chat's account: %w", err)
	}
	res.Language = firstNonEmpty(u.Language(), lang)
	if !u.Active() {
		res.Toast = ToastRefused
		return res, nil
	}
	if len(cmd.Data) > 64 || !domain.ValidText(cmd.Data) {
		res.Toast = ToastRefused
		return res, nil
	}
	verb, rest, _ := strings.Cut(cmd.Data, ":")
	args := strings.Split(rest, ":")
	switch {
	case verb == "c" && len(args) == 1:
		return h.move(ctx, u, res, args[0], domain.StatusClosed)
	case verb == "o" && len(args) == 1:
		return h.move(ctx, u, res, args[0], domain.StatusOpen)
	case verb == "s" && len(args) == 1:
		return h.show(ctx, u, res, args[0])
	case verb == "k" && len(args) == 1:
		return h.take(ctx, u, res, args[0])
	case verb == "p" && len(args) == 1:
		return h.progress(ctx, u, res, args[0])
	case verb == "r" && len(args) == 2:
		return h.rated(ctx, u, res, args[0], args[1])
	case verb == "t" && len(args) == 1:
		return h.chooseType(ctx, u, cmd.ChatID, res, args[0])
	case verb == "n" && len(args) == 1:
		return h.draftNew(ctx, cmd.ChatID, res, args[0])
	case verb == "a" && len(args) == 2:
		return h.draftAdd(ctx, u, cmd.ChatID, res, args[0], args[1])
	}
	res.Toast = ToastRefused
	return res, nil
}

// callbackID reads a ticket id from callback data.
func callbackID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

// refusal maps a use case's refusal to its short answer; other errors are
// failures.
func refusal(res BotCallbackResult, err error) (BotCallbackResult, error) {
	switch {
	case errors.Is(err, domain.ErrTicketNotFound), errors.Is(err, domain.ErrForbidden):
		res.Toast = ToastRefused
		return res, nil
	case errors.Is(err, domain.ErrInvalidTransition), errors.Is(err, domain.ErrMergedAway),
		errors.Is(err, domain.ErrNotRated), isValidation(err):
		res.Toast = ToastStale
		return res, nil
	}
	res.Toast = ToastError
	return res, err
}

func (h HandleBotCallbackHandler) move(ctx context.Context, u *domain.User, res BotCallbackResult, arg string, to domain.Status) (BotCallbackResult, error) {
	id, ok := callbackID(arg)
	if !ok {
		res.Toast = ToastRefused
		return res, nil
	}
	if err := h.bot.change.Handle(ctx, ChangeStatus{Actor: u, TicketID: id, Status: to.String()}); err != nil {
		return refusal(res, err)
	}
	closed := to == domain.StatusClosed
	res.Toast, res.EditKeyboard = ToastDone, true
	res.Keyboard = TicketButtons(id, closed, h.bot.ticketURL(id))
	if closed && h.rate != nil {
		res.Reply = BotReply{Kind: ReplyRate, Language: res.Language, TicketID: id, Buttons: [][]BotButton{RateButtons(id)}}
	}
	return res, nil
}

func (h HandleBotCallbackHandler) show(ctx context.Context, u *domain.User, res BotCallbackResult, arg string) (BotCallbackResult, error) {
	id, ok := callbackID(arg)
	if !ok {
		res.Toast = ToastRefused
		return res, nil
	}
	r, err := h.bot.show(ctx, u, res.Language, id)
	if err != nil {
		return refusal(res, err)
	}
	res.Reply = r
	return res, nil
}

func (h HandleBotCallbackHandler) rated(ctx context.Context, u *domain.User, res BotCallbackResult, arg, value string) (BotCallbackResult, error) {
	id, ok := callbackID(arg)
	stars, err := strconv.Atoi(value)
	if !ok || err != nil || stars < 1 || stars > 5 || len(value) != 1 {
		res.Toast = ToastRefused
		return res, nil
	}
	if h.rate == nil {
		res.Toast = ToastStale
		return res, nil
	}
	if err := h.rate(ctx, u, id, stars); err != nil {
		return refusal(res, err)
	}
	res.Toast = ToastDone
	return res, nil
}

func (h HandleBotCallbackHandler) chooseType(ctx context.Context, u *domain.User, chat int64, res BotCallbackResult, slug string) (BotCallbackResult, error) {
	if _, err := domain.ParseTicketType(slug); err != nil {
		res.Toast = ToastRefused
		return res, nil
	}
	d, err := h.bot.chats.Dialogue(ctx, chat)
	if err != nil {
		res.Toast = ToastError
		return res, fmt.Errorf("read dialogue: %w", err)
	}
	if d.Step != BotStepType {
		res.Toast = ToastStale
		return res, nil
	}
	d.Type = slug
	if d.Draft != "" { // a kept message asked to become a ticket: it is the description
		r, err := h.bot.openKept(ctx, u, res.Language, d, d.Draft)
		res.Reply = r
		if r.Kind == ReplyTooMany {
			res.Toast = ToastTooMany
		}
		if err != nil && r.Kind == "" {
			res.Toast = ToastError
		}
		return res, err
	}
	d.Step, d.UpdatedAt = BotStepText, h.bot.now()
	if err := h.bot.chats.SaveDialogue(ctx, d); err != nil {
		res.Toast = ToastError
		return res, fmt.Errorf("save dialogue: %w", err)
	}
	res.Reply = BotReply{Kind: ReplyDescribe, Language: res.Language, Value: slug}
	return res, nil
}

// keptDraft returns the chat's dialogue when key names its kept message.
func (h HandleBotCallbackHandler) keptDraft(ctx context.Context, chat int64, key string) (BotDialogue, bool, error) {
	d, err := h.bot.chats.Dialogue(ctx, chat)
	if err != nil {
		return d, false, fmt.Errorf("read dialogue: %w", err)
	}
	return d, d.DraftKey != "" && len(key) == draftKeyLen && d.DraftKey == key, nil
}

func (h HandleBotCallbackHandler) draftNew(ctx context.Context, chat int64, res BotCallbackResult, key string) (BotCallbackResult, error) {
	d, ok, err := h.keptDraft(ctx, chat, key)
	if err != nil || !ok {
		return staleOr(res, err)
	}
	d.Step, d.Type, d.UpdatedAt = BotStepType, "", h.bot.now()
	if err := h.bot.chats.SaveDialogue(ctx, d); err != nil {
		res.Toast = ToastError
		return res, fmt.Errorf("save dialogue: %w", err)
	}
	res.Reply = h.bot.chooseType(res.Language)
	return res, nil
}

func (h HandleBotCallbackHandler) draftAdd(ctx context.Context, u *domain.User, chat int64, res BotCallbackResult, key, arg string) (BotCallbackResult, error) {
	id, ok := callbackID(arg)
	if !ok {
		res.Toast = ToastRefused
		return res, nil
	}
	d, ok, err := h.keptDraft(ctx, chat, key)
	if err != nil || !ok {
		return staleOr(res, err)
	}
	r, err := h.bot.addKept(ctx, u, res.Language, id, d)
	if err != nil {
		res.Toast = ToastError
		return res, err
	}
	switch r.Kind {
	case ReplyTicketGone:
		res.Toast = ToastRefused
		return res, nil
	case ReplyCommented:
		d.DraftKey, d.Draft, d.DraftFile, d.UpdatedAt = "", "", BotFile{}, h.bot.now()
		if err := h.bot.chats.SaveDialogue(ctx, d); err != nil {
			res.Reply = r
			return res, fmt.Errorf("forget the kept message: %w", err)
		}
	}
	res.Reply = r
	return res, nil
}

func staleOr(res BotCallbackResult, err error) (BotCallbackResult, error) {
	if err != nil {
		res.Toast = ToastError
		return res, err
	}
	res.Toast = ToastStale
	return res, nil
}
