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

// Kinds are what an owner hears of: a status change, a comment and a
// merge of their duplicate, not an assignment.
func (h *NotifyOwner) Kinds() []string {
	return []string{domain.KindTicketStatusChanged, domain.KindCommentAdded, domain.KindTicketMerged}
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
	case domain.TicketMerged:
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
	case domain.TicketMerged:
		// One message about the merge, which names the ticket the thread
		// goes on in; the duplicate's closing sends none of its own.
		ownerID = ev.OwnerID
		n = Notification{Kind: NotifyTicketMerged, TicketID: ev.IntoID, Title: ev.IntoTitle, Author: ev.ByName,
			FromTicketID: ev.TicketID, FromTitle: ev.Title}
	default:
		return skipped("not a notification"), nil
	}
	n.URL = ticketPage(h.publicURL, n.TicketID)
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
	if err := notifyChat(ctx, h.users, h.notifier, u, chat, n); err != nil {
		return Outcome{}, err
	}
	return Outcome{Note: fmt.Sprintf("sent to chat %d", chat), Sent: true}, nil
}

func skipped(why string) Outcome { return Outcome{Note: "skipped: " + why} }

// ticketPage is ticket id's page under publicURL (trimmed of its last
// "/"), "" without a public URL: the one link every bot message and
// alert gives.
func ticketPage(publicURL string, id int64) string {
	if publicURL == "" {
		return ""
	}
	return publicURL + "/tickets/" + strconv.FormatInt(id, 10)
}

// notifyChat words n in u's language and sends it to chat. A chat that
// blocked the bot is unlinked and reported as ErrPermanent, so the
// delivery is given up; a failure to unlink is returned as is, so it is
// retried and unlinks again. Owner and staff alerts both send this way.
func notifyChat(ctx context.Context, users Users, notifier Notifier, u *domain.User, chat int64, n Notification) error {
	n.Language = u.Language()
	err := notifier.Notify(ctx, chat, n)
	if errors.Is(err, ErrChatBlocked) {
		if uerr := unlinkBlocked(ctx, users, u.ID(), chat); uerr != nil {
			return fmt.Errorf("chat %d blocked the bot; unlink it: %w", chat, uerr)
		}
		return fmt.Errorf("%w: chat %d unlinked: %w", ErrPermanent, chat, err)
	}
	return err
}

// unlinkBlocked removes chat from the user, unless they linked another one
// meanwhile.
func unlinkBlocked(ctx context.Context, users Users, userID, chat int64) error {
	err := users.Update(ctx, userID, func(u *domain.User) error {
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
