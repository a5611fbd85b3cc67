package application

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"crm/domain"
)

// NotifyOwnerName is the NotifyOwner handler's name in stored deliveries.
const NotifyOwnerName = "notify_owner"

// NotifyOwner is the event handler that tells a ticket's owner, through
// the Notifier, that staff moved the ticket or wrote on it.
type NotifyOwner struct {
	users     Users
	notifier  Notifier
	publicURL string
}

var _ EventHandler = (*NotifyOwner)(nil)

// NewNotifyOwner takes CRM_PUBLIC_URL as publicURL, for the ticket's link
// in each message ("" for messages without a link).
func NewNotifyOwner(users Users, notifier Notifier, publicURL string) *NotifyOwner {
	return &NotifyOwner{users: users, notifier: notifier, publicURL: strings.TrimRight(publicURL, "/")}
}

func (h *NotifyOwner) Name() string { return NotifyOwnerName }

// Kinds are what an owner hears of: a status change and a comment, not an
// assignment.
func (h *NotifyOwner) Kinds() []string {
	return []string{domain.KindTicketStatusChanged, domain.KindCommentAdded}
}

// Route orders the owner's messages by owner ("user:5"), and skips internal
// notes and what the owner did themself.
func (h *NotifyOwner) Route(e domain.StoredEvent) (key, skip string) {
	switch ev := e.Event.(type) {
	case domain.TicketStatusChanged:
		if ev.ByID == ev.OwnerID {
			return "", "changed by the owner"
		}
		return ownerKey(ev.OwnerID), ""
	case domain.CommentAdded:
		if ev.Internal {
			return "", "internal note"
		}
		if ev.AuthorID == ev.OwnerID {
			return "", "written by the owner"
		}
		return ownerKey(ev.OwnerID), ""
	}
	return "", "not a notification"
}

func ownerKey(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// Handle sends the message to the owner's linked chat. An owner without a
// chat (or gone, or deactivated) is skipped with a note. A chat that
// blocked the bot is unlinked and the delivery given up.
func (h *NotifyOwner) Handle(ctx context.Context, e domain.StoredEvent) (Outcome, error) {
	var n Notification
	var ownerID int64
	switch ev := e.Event.(type) {
	case domain.TicketStatusChanged:
		ownerID = ev.OwnerID
		n = Notification{Kind: NotifyStatusChanged, TicketID: ev.TicketID, Title: ev.Title, Status: ev.To,
			Author: ev.ByName, Text: ev.Comment}
	case domain.CommentAdded:
		ownerID = ev.OwnerID
		n = Notification{Kind: NotifyCommentAdded, TicketID: ev.TicketID, Title: ev.Title, Author: ev.AuthorName, Text: ev.Text,
			Files: ev.Attachments}
	default:
		return skipped("not a notification"), nil
	}
	if h.publicURL != "" {
		n.URL = h.publicURL + "/tickets/" + strconv.FormatInt(n.TicketID, 10)
	}
	u, err := h.users.Get(ctx, ownerID)
	if errors.Is(err, domain.ErrUserNotFound) {
		return skipped("owner not found"), nil
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("load owner %d: %w", ownerID, err)
	}
	if !u.Active() {
		return skipped("account deactivated"), nil
	}
	chat, ok := u.TelegramChatID()
	if !ok {
		return skipped("telegram not linked"), nil
	}
	n.Language = u.Language()
	err = h.notifier.Notify(ctx, chat, n)
	if errors.Is(err, ErrChatBlocked) {
		if uerr := h.unlinkBlocked(ctx, u.ID(), chat); uerr != nil {
			return Outcome{}, fmt.Errorf("chat %d blocked the bot; unlink it: %w", chat, uerr) // retried: unlink again
		}
		return Outcome{}, fmt.Errorf("%w: chat %d unlinked: %w", ErrPermanent, chat, err)
	}
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Note: fmt.Sprintf("sent to chat %d", chat), Sent: true}, nil
}

func skipped(why string) Outcome { return Outcome{Note: "skipped: " + why} }

// unlinkBlocked removes chat from the user, unless they linked another one
// meanwhile.
func (h *NotifyOwner) unlinkBlocked(ctx context.Context, userID, chat int64) error {
	err := h.users.Update(ctx, userID, func(u *domain.User) error {
		if c, ok := u.TelegramChatID(); ok && c == chat {
			u.UnlinkTelegram()
		}
		return nil
	})
	if errors.Is(err, domain.ErrUserNotFound) {
		return nil
	}
	return err
}
