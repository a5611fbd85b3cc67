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
// text messages go to the HandleBotMessage use case and its reply goes back
// to the chat; anything else is logged and ignored.
type Updates struct {
	app    application.HandleBotMessageHandler
	client *Client
	log    *slog.Logger

	mu     sync.Mutex
	recent map[int]struct{} // update ids handled lately, so a resent one is ignored
	order  []int
}

// recentUpdates is how many update ids are remembered.
const recentUpdates = 1024

// NewUpdates returns the update handler.
func NewUpdates(app application.HandleBotMessageHandler, client *Client, log *slog.Logger) *Updates {
	return &Updates{app: app, client: client, log: log, recent: map[int]struct{}{}}
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
	m := u.Message
	if m == nil || m.Chat == nil {
		log.Debug("telegram: update without a message, ignored")
		return
	}
	log = log.With("chat_id", m.Chat.ID)
	if m.Text == "" {
		log.Info("telegram: message without text, ignored")
		return
	}
	if m.From != nil && m.From.IsBot {
		log.Info("telegram: message from a bot, ignored")
		return
	}
	cmd := application.HandleBotMessage{ChatID: m.Chat.ID, Private: m.Chat.IsPrivate(), Text: m.Text}
	if m.From != nil {
		cmd.LanguageCode = m.From.LanguageCode
	}
	reply, err := h.app.Handle(ctx, cmd)
	text := ReplyText(reply)
	if err != nil {
		log.Error("telegram: cannot handle a message", "err", err)
		text = errorReply(reply.Language)
	} else {
		log.Info("telegram: message handled", "reply", string(reply.Kind))
	}
	h.reply(ctx, log, m.Chat.ID, text)
}

// reply sends text, waiting once for a 429's retry_after.
func (h *Updates) reply(ctx context.Context, log *slog.Logger, chat int64, text string) {
	err := h.client.SendText(ctx, chat, text)
	if ra, ok := asRetryAfter(err); ok && ra <= 30*time.Second {
		if sleepUntil(ctx, time.Now().Add(ra)) == nil {
			err = h.client.SendText(ctx, chat, text)
		}
	}
	if err != nil {
		log.Warn("telegram: cannot send a reply", "err", err)
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
