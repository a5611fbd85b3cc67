package application

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"crm/domain"
)

// NotifyStaffName is the NotifyStaff handler's name in stored deliveries.
const NotifyStaffName = "notify_staff"

// staffKey orders every staff alert: a new ticket goes to many chats at
// once, so no one chat's key fits it.
const staffKey = "staff"

// NotifyStaff is the event handler that alerts staff in their linked
// chats: every active staff member or admin of a new ticket, and the
// assignee of the owner's reply on their ticket. The alerts carry the
// staff buttons (StaffButtons), and a reply to one threads like the
// owner's.
type NotifyStaff struct {
	users     Users
	tickets   TicketGetter
	notifier  Notifier
	publicURL string
}

var _ EventHandler = (*NotifyStaff)(nil)

// TicketGetter reads tickets: all NotifyStaff needs of Tickets, so that
// it can be given one that does not wake the dispatcher it runs in.
type TicketGetter interface {
	// Get returns the ticket with id, or ErrTicketNotFound.
	Get(ctx context.Context, id int64) (*domain.Ticket, error)
}

// NewNotifyStaff takes CRM_PUBLIC_URL as publicURL, for the ticket's link
// ("" for none).
func NewNotifyStaff(users Users, tickets TicketGetter, notifier Notifier, publicURL string) *NotifyStaff {
	return &NotifyStaff{users: users, tickets: tickets, notifier: notifier, publicURL: strings.TrimRight(publicURL, "/")}
}

func (h *NotifyStaff) Name() string { return NotifyStaffName }

func (h *NotifyStaff) Kinds() []string {
	return []string{domain.KindTicketSubmitted, domain.KindCommentAdded}
}

// Route skips every comment but the owner's public ones: staff learn of
// their colleagues' work on the pages, and a note is never an owner's.
func (h *NotifyStaff) Route(e domain.StoredEvent) (key, skip string) {
	switch ev := e.Event.(type) {
	case domain.TicketSubmitted:
		return staffKey, ""
	case domain.CommentAdded:
		if ev.Internal {
			return "", "internal note"
		}
		if ev.AuthorID != ev.OwnerID {
			return "", "not written by the owner"
		}
		return staffKey, ""
	}
	return "", "not a staff alert"
}

// Handle sends the alert. A staff member without a chat, with the alert
// switched off, no longer staff or deactivated is passed over; a chat
// that blocked the bot is unlinked and the others still get theirs. Any
// other failure is returned, so the whole alert is retried, and those who
// got it may get it twice: at least once, as every delivery.
func (h *NotifyStaff) Handle(ctx context.Context, e domain.StoredEvent) (Outcome, error) {
	switch ev := e.Event.(type) {
	case domain.TicketSubmitted:
		return h.newTicket(ctx, ev)
	case domain.CommentAdded:
		return h.ownerReply(ctx, ev)
	}
	return skipped("not a staff alert"), nil
}

func (h *NotifyStaff) newTicket(ctx context.Context, ev domain.TicketSubmitted) (Outcome, error) {
	// Who wants the alert first: the ticket is read only when someone does
	// (its text goes in the alert), and on a desk whose staff have no
	// chat, every submission's alert ends here.
	type recipient struct {
		u    *domain.User
		chat int64
	}
	var to []recipient
	f := UserFilter{Roles: []domain.Role{domain.RoleStaff, domain.RoleAdmin}, ActiveOnly: true, Page: Page{Limit: MaxPageSize}}
	for {
		p, err := h.users.List(ctx, f)
		if err != nil {
			return Outcome{}, fmt.Errorf("list staff: %w", err)
		}
		for _, u := range p.Users {
			if u.ID() == ev.OwnerID || !u.AlertsNewTickets() {
				continue
			}
			if chat, ok := u.TelegramChatID(); ok {
				to = append(to, recipient{u, chat})
			}
		}
		if p.Next == 0 {
			break
		}
		f.Page.Before = p.Next
	}
	if len(to) == 0 {
		return skipped("no staff chat wants new tickets"), nil
	}
	t, err := h.tickets.Get(ctx, ev.TicketID)
	switch {
	case errors.Is(err, domain.ErrTicketNotFound):
		return skipped("ticket not found"), nil
	case err != nil:
		return Outcome{}, fmt.Errorf("load ticket %d: %w", ev.TicketID, err)
	}
	n := h.note(NotifyNewTicket, ev.TicketID, ev.Title, ev.OwnerName)
	n.Text, n.Files = t.Text(), ev.Attachments
	var sent []string
	var failed error
	for _, r := range to {
		err := h.send(ctx, r.u, r.chat, n)
		switch {
		case err == nil:
			sent = append(sent, strconv.FormatInt(r.chat, 10))
		case errors.Is(err, ErrPermanent):
			// Given up for this chat alone: the others still get theirs.
		case failed == nil:
			failed = err
		}
	}
	if failed != nil {
		return Outcome{}, failed
	}
	if len(sent) == 0 {
		return skipped("no staff chat wants new tickets"), nil
	}
	return Outcome{Note: "sent to chats " + strings.Join(sent, ", "), Sent: true}, nil
}

func (h *NotifyStaff) ownerReply(ctx context.Context, ev domain.CommentAdded) (Outcome, error) {
	t, err := h.tickets.Get(ctx, ev.TicketID)
	switch {
	case errors.Is(err, domain.ErrTicketNotFound):
		return skipped("ticket not found"), nil
	case err != nil:
		return Outcome{}, fmt.Errorf("load ticket %d: %w", ev.TicketID, err)
	}
	if t.AssigneeID() == 0 || t.AssigneeID() == ev.AuthorID {
		return skipped("not assigned"), nil
	}
	u, err := h.users.Get(ctx, t.AssigneeID())
	switch {
	case errors.Is(err, domain.ErrUserNotFound):
		return skipped("assignee not found"), nil
	case err != nil:
		return Outcome{}, fmt.Errorf("load assignee %d: %w", t.AssigneeID(), err)
	}
	// The alert quotes the ticket: only a staff member still active reads it.
	if !u.Active() || !u.IsStaff() {
		return skipped("assignee is not active staff"), nil
	}
	if !u.AlertsOwnerReplies() {
		return skipped("owner replies switched off"), nil
	}
	chat, ok := u.TelegramChatID()
	if !ok {
		return skipped("telegram not linked"), nil
	}
	n := h.note(NotifyOwnerReply, ev.TicketID, ev.Title, ev.AuthorName)
	n.Text, n.Files = ev.Text, ev.Attachments
	if err := h.send(ctx, u, chat, n); err != nil {
		return Outcome{}, err
	}
	return Outcome{Note: fmt.Sprintf("sent to chat %d", chat), Sent: true}, nil
}

func (h *NotifyStaff) note(kind NotificationKind, id int64, title, author string) Notification {
	return Notification{Kind: kind, Staff: true, TicketID: id, Title: title, Author: author,
		URL: ticketPage(h.publicURL, id)}
}

// send words n in u's language and sends it to chat (see notifyChat).
func (h *NotifyStaff) send(ctx context.Context, u *domain.User, chat int64, n Notification) error {
	return notifyChat(ctx, h.users, h.notifier, u, chat, n)
}

// The staff buttons' callback data: "k" takes the ticket, "p" starts the
// work on it. Checked again when pressed, as every button's.
func takeData(id int64) string     { return "k:" + itoa(id) }
func progressData(id int64) string { return "p:" + itoa(id) }

// The staff buttons.
const (
	ButtonTake       BotButtonKind = "take"        // assign TicketID to the presser
	ButtonInProgress BotButtonKind = "in_progress" // move TicketID to in progress
)

// StaffButtons are the buttons under a staff alert about ticket id: take
// it, start the work, and its page when url is set.
func StaffButtons(id int64, url string) [][]BotButton {
	rows := [][]BotButton{{
		{Kind: ButtonTake, Data: takeData(id), TicketID: id},
		{Kind: ButtonInProgress, Data: progressData(id), TicketID: id},
	}}
	if url != "" {
		rows = append(rows, []BotButton{{Kind: ButtonOpenURL, URL: url, TicketID: id}})
	}
	return rows
}
