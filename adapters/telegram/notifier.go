package telegram

import (
	"context"
	"log/slog"
	"time"

	"crm/application"
)

// Notifier sends notifications through the bot.
type Notifier struct {
	client *Client
	files  application.Files    // nil: files are not sent
	chats  application.BotChats // nil: replies to notifications do not thread
	log    *slog.Logger
}

var _ application.Notifier = (*Notifier)(nil)

// NewNotifier returns a Notifier sending through client.
func NewNotifier(client *Client) *Notifier { return &Notifier{client: client} }

// WithThreads makes the notifier remember each notification it sends as
// about its ticket, in chats, so that a reply to it becomes a comment.
func (n *Notifier) WithThreads(chats application.BotChats, log *slog.Logger) *Notifier {
	n.chats, n.log = chats, log
	return n
}

// Notify sends n to chatID as plain text, with buttons to close or reopen
// the ticket and to open its page, and a comment's files with it
// (NotifyFiles); errors as Client.SendText.
func (n *Notifier) Notify(ctx context.Context, chatID int64, note application.Notification) error {
	if len(note.Files) > 0 {
		return n.NotifyFiles(ctx, chatID, note, note.Files)
	}
	return n.sendText(ctx, chatID, note, NotificationText(note))
}

// sendText sends text about note's ticket with the ticket's buttons and
// remembers it. Once sent, the notification is delivered: a failure to
// remember it only loses the threading of replies, and is logged.
func (n *Notifier) sendText(ctx context.Context, chatID int64, note application.Notification, text string) error {
	id, err := n.client.Send(ctx, Message{ChatID: chatID, Text: text,
		Keyboard: keyboard(note.Language, notificationButtons(note))})
	if err != nil {
		return err
	}
	n.remember(ctx, chatID, id, note)
	return nil
}

// remember stores the sent message id as about note's ticket.
func (n *Notifier) remember(ctx context.Context, chatID int64, id int, note application.Notification) {
	if n.chats == nil || id == 0 {
		return
	}
	if err := n.chats.RememberMessage(ctx, chatID, id, note.TicketID, time.Now()); err != nil && n.log != nil {
		n.log.WarnContext(ctx, "telegram: cannot remember a notification; a reply to it will not thread",
			"chat_id", chatID, "ticket_id", note.TicketID, "err", err)
	}
}

// LogNotifier is the Notifier when Telegram is off: it only logs what it
// would have sent.
type LogNotifier struct {
	log *slog.Logger
}

var _ application.Notifier = (*LogNotifier)(nil)

// NewLogNotifier returns a LogNotifier writing to log.
func NewLogNotifier(log *slog.Logger) *LogNotifier { return &LogNotifier{log: log} }

// Notify logs the notification at Info and never fails.
func (n *LogNotifier) Notify(ctx context.Context, chatID int64, note application.Notification) error {
	n.log.InfoContext(ctx, "telegram is off; notification not sent",
		"chat_id", chatID, "ticket_id", note.TicketID, "kind", string(note.Kind), "text", NotificationText(note))
	return nil
}
