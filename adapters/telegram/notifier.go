package telegram

import (
	"context"
	"log/slog"

	"crm/application"
)

// Notifier sends notifications through the bot.
type Notifier struct {
	client *Client
	files  application.Files // nil: files are not sent
}

var _ application.Notifier = (*Notifier)(nil)

// NewNotifier returns a Notifier sending through client.
func NewNotifier(client *Client) *Notifier { return &Notifier{client: client} }

// Notify sends n to chatID as plain text; errors as Client.SendText.
func (n *Notifier) Notify(ctx context.Context, chatID int64, note application.Notification) error {
	return n.client.SendText(ctx, chatID, NotificationText(note))
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
