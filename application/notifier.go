package application

import (
	"context"
	"crm/domain"
	"errors"
	"fmt"
	"time"
)

// Notifier sends a notification to a Telegram chat. It words the message in
// the notification's language and keeps to the rate limits itself.
type Notifier interface {
	// Notify sends n to chatID. Besides transient errors (network, 5xx),
	// which are retried with backoff, it returns errors that wrap:
	// ErrChatBlocked when the person blocked the bot, ErrPermanent when
	// sending can never succeed (400), or a *RetryAfterError when Telegram
	// asks to wait.
	Notify(ctx context.Context, chatID int64, n Notification) error
}

// NotificationKind says what happened to the ticket.
type NotificationKind string

// The notifications.
const (
	NotifyStatusChanged NotificationKind = "status_changed"
	NotifyCommentAdded  NotificationKind = "comment_added"
	// NotifyTicketMerged: staff merged the owner's duplicate FromTicketID
	// into TicketID.
	NotifyTicketMerged NotificationKind = "ticket_merged"
	// For staff (Notification.Staff): a ticket was submitted, and the
	// owner wrote on a ticket assigned to the reader.
	NotifyNewTicket  NotificationKind = "new_ticket"
	NotifyOwnerReply NotificationKind = "owner_reply"
)

// Notification tells a ticket's owner what happened to it, or a staff
// member (Staff) that a ticket needs them.
type Notification struct {
	Kind     NotificationKind
	Language string // the owner's language; "" for the default
	TicketID int64
	Title    string
	Status   string // the new status (NotifyStatusChanged)
	Author   string // who changed the status or wrote the comment
	Text     string // the comment, or the note given with a status change
	URL      string // CRM_PUBLIC_URL/tickets/{id}, or "" when no public URL is set
	// Files are the files of the comment (NotifyCommentAdded), by their
	// metadata: the Notifier reads the bytes through the Files port.
	Files []domain.AttachmentInfo
	// FromTicketID and FromTitle are the duplicate merged into TicketID
	// (NotifyTicketMerged).
	FromTicketID int64
	FromTitle    string
	// Staff says the reader is staff: the buttons are StaffButtons, not the
	// owner's.
	Staff bool
}

// Errors a Notifier returns, wrapped, so the dispatcher knows what to do.
var (
	// ErrChatBlocked: the person blocked the bot (Telegram's 403); the chat
	// is unlinked and the delivery given up.
	ErrChatBlocked = errors.New("the chat blocked the bot")
	// ErrPermanent: the delivery can never succeed (e.g. Telegram's 400); it
	// is marked failed at once.
	ErrPermanent = errors.New("permanent delivery failure")
)

// RetryAfterError: Telegram's flood control (429) asks to wait After before
// the next attempt.
type RetryAfterError struct {
	After time.Duration
	Err   error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("retry after %v: %v", e.After, e.Err)
}

func (e *RetryAfterError) Unwrap() error { return e.Err }
