package telegram

import (
	"context"
	"log/slog"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"crm/application"
)

// Updates handles the updates the bot receives, by polling or by webhook:
// text messages go to the HandleBotMessage use case, button presses to
// HandleBotCallback, and the reply goes back to the chat; anything else
// (edited messages, channel posts, stickers, polls) is logged and ignored.
type Updates struct {
	app       application.HandleBotMessageHandler
	callbacks *application.HandleBotCallbackHandler // nil: buttons are not answered but with a refusal
	chats     application.BotChats                  // nil: replies about tickets are not remembered
	client    *Client
	log       *slog.Logger

	mu     sync.Mutex
	recent map[int]struct{} // update ids handled lately, so a resent one is ignored
	order  []int
	told   map[int64]bool // chats told that edits are not applied
}

// recentUpdates is how many update ids are remembered.
const recentUpdates = 1024

// NewUpdates returns the update handler.
func NewUpdates(app application.HandleBotMessageHandler, client *Client, log *slog.Logger) *Updates {
	return &Updates{app: app, client: client, log: log, recent: map[int]struct{}{}, told: map[int64]bool{}}
}

// WithBot lets the handler answer button presses through callbacks and
// remember its messages about tickets in chats, so replies to them thread.
func (h *Updates) WithBot(callbacks application.HandleBotCallbackHandler, chats application.BotChats) *Updates {
	h.callbacks, h.chats = &callbacks, chats
	return h
}

// Handle acts on one update. It never fails and never panics: whatever goes
// wrong is logged, and the sender gets an apology when there is one.
func (h *Updates) Handle(ctx context.Context, u tgbotapi.Update) {
	log := h.log.With("update_id", u.UpdateID)
	defer func() {
		if r := recover(); r != nil {
			log.Error("telegram: panic while handling an update", "panic", r)
		}
	}()
	if !h.firstTime(u.UpdateID) {
		log.Debug("telegram: update seen before, ignored")
		return
	}
	if u.CallbackQuery != nil {
		h.callback(ctx, log, u.CallbackQuery)
		return
	}
	if e := u.EditedMessage; e != nil && e.Chat != nil && e.Chat.IsPrivate() {
		h.editIgnored(ctx, log.With("chat_id", e.Chat.ID), e)
		return
	}
	m := u.Message
	if m == nil || m.Chat == nil {
		log.Debug("telegram: update without a message (an edit, a channel post, a poll…), ignored")
		return
	}
	log = log.With("chat_id", m.Chat.ID)
	file, caption, unsupported := messageFile(m)
	if m.Text == "" && (!m.Chat.IsPrivate() || (file == nil && !unsupported)) {
		log.Info("telegram: message without text, ignored")
		return
	}
	if m.From != nil && m.From.IsBot {
		log.Info("telegram: message from a bot, ignored")
		return
	}
	cmd := application.HandleBotMessage{ChatID: m.Chat.ID, Private: m.Chat.IsPrivate(), Text: m.Text,
		File: file, Unsupported: unsupported}
	if m.Text == "" {
		cmd.Text = caption
	}
	if m.From != nil {
		cmd.LanguageCode = m.From.LanguageCode
	}
	if m.ReplyToMessage != nil {
		cmd.ReplyTo = m.ReplyToMessage.MessageID
	}
	reply, err := h.app.Handle(ctx, cmd)
	switch {
	case err != nil && reply.Kind == "":
		log.Error("telegram: cannot handle a message", "err", err)
	case err != nil:
		log.Error("telegram: a message was handled but not all was saved", "err", err, "reply", string(reply.Kind))
	default:
		log.Info("telegram: message handled", "reply", string(reply.Kind))
	}
	if reply.Kind == application.ReplyNone {
		return
	}
	h.send(ctx, log, m.Chat.ID, reply)
}

// callback answers a button press: the short answer first, so the
// button stops spinning, then the new buttons and the reply.
func (h *Updates) callback(ctx context.Context, log *slog.Logger, cq *tgbotapi.CallbackQuery) {
	if cq.Message == nil || cq.Message.Chat == nil || h.callbacks == nil {
		log.Info("telegram: a button press not for this bot, refused")
		h.answer(ctx, log, cq.ID, toastText("", application.ToastRefused))
		return
	}
	chat := cq.Message.Chat.ID
	log = log.With("chat_id", chat)
	cmd := application.HandleBotCallback{ChatID: chat, Private: cq.Message.Chat.IsPrivate(),
		MessageID: cq.Message.MessageID, Data: cq.Data}
	if cq.From != nil {
		cmd.LanguageCode = cq.From.LanguageCode
	}
	res, err := h.callbacks.Handle(ctx, cmd)
	if err != nil {
		log.Error("telegram: cannot handle a button press", "err", err)
	} else {
		log.Info("telegram: button press handled", "answer", string(res.Toast))
	}
	h.answer(ctx, log, cq.ID, toastText(res.Language, res.Toast))
	if res.EditKeyboard {
		if err := h.client.EditKeyboard(ctx, chat, cq.Message.MessageID, keyboard(res.Language, res.Keyboard)); err != nil {
			log.Warn("telegram: cannot change a message's buttons", "err", err)
		}
	}
	if res.Reply.Kind != "" {
		h.send(ctx, log, chat, res.Reply)
	}
}

// editIgnored tells a private chat, once (per process, and for the last
// chats only), that an edit of a sent message changes nothing: the first
// version was taken as it was.
func (h *Updates) editIgnored(ctx context.Context, log *slog.Logger, e *tgbotapi.Message) {
	h.mu.Lock()
	told := h.told[e.Chat.ID]
	if !told {
		if len(h.told) >= recentUpdates {
			clear(h.told)
		}
		h.told[e.Chat.ID] = true
	}
	h.mu.Unlock()
	log.Info("telegram: an edited message, not applied", "told", !told)
	if told {
		return
	}
	lang := ""
	if e.From != nil {
		lang = e.From.LanguageCode
	}
	if _, err := h.client.Send(ctx, Message{ChatID: e.Chat.ID, Text: text(language(lang), "edits_ignored")}); err != nil {
		log.Warn("telegram: cannot send a reply", "err", err)
	}
}

func (h *Updates) answer(ctx context.Context, log *slog.Logger, id, text string) {
	if err := h.client.AnswerCallback(ctx, id, text); err != nil {
		log.Warn("telegram: cannot answer a button press", "err", err)
	}
}

// send sends the reply, waiting once for a 429's retry_after, and
// remembers it when it is about a ticket.
func (h *Updates) send(ctx context.Context, log *slog.Logger, chat int64, r application.BotReply) {
	m := Message{ChatID: chat, Text: ReplyText(r), Keyboard: keyboard(r.Language, r.Buttons)}
	id, err := h.client.Send(ctx, m)
	if ra, ok := asRetryAfter(err); ok && ra <= 30*time.Second {
		if sleepUntil(ctx, time.Now().Add(ra)) == nil {
			id, err = h.client.Send(ctx, m)
		}
	}
	if err != nil {
		log.Warn("telegram: cannot send a reply", "err", err)
		return
	}
	if r.TicketID != 0 && h.chats != nil {
		if err := h.chats.RememberMessage(ctx, chat, id, r.TicketID, time.Now()); err != nil {
			log.Warn("telegram: cannot remember a reply; a reply to it will not thread", "err", err)
		}
	}
}

// firstTime remembers id and reports whether it is new. Id 0 (an update
// that did not even carry an id) is always new.
func (h *Updates) firstTime(id int) bool {
	if id == 0 {
		return true
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, seen := h.recent[id]; seen {
		return false
	}
	h.recent[id] = struct{}{}
	h.order = append(h.order, id)
	if len(h.order) > recentUpdates {
		delete(h.recent, h.order[0])
		h.order = h.order[1:]
	}
	return true
}
