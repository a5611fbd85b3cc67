package application_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// recordingNotifier keeps what it was asked to send, by chat; chats in
// blocked answer as a chat that blocked the bot.
type recordingNotifier struct {
	sent    map[int64][]application.Notification
	blocked map[int64]bool
}

func newRecordingNotifier() *recordingNotifier {
	return &recordingNotifier{sent: map[int64][]application.Notification{}, blocked: map[int64]bool{}}
}

func (n *recordingNotifier) Notify(_ context.Context, chat int64, note application.Notification) error {
	if n.blocked[chat] {
		return fmt.Errorf("403: %w", application.ErrChatBlocked)
	}
	n.sent[chat] = append(n.sent[chat], note)
	return nil
}

// staffWorld is a bot world with staff and the staff alerts' handler.
type staffWorld struct {
	*botWorld
	notifier *recordingNotifier
	alerts   *application.NotifyStaff
}

func newStaffWorld(t *testing.T) *staffWorld {
	w := newBotWorld(t)
	n := newRecordingNotifier()
	return &staffWorld{botWorld: w, notifier: n,
		alerts: application.NewNotifyStaff(w.store.Users, w.store.Tickets, n, "https://crm.example")}
}

// linkedStaff is a staff member whose chat is chat.
func (w *staffWorld) linkedStaff(name string, chat int64, edit func(u *domain.User)) *domain.User {
	w.t.Helper()
	u := w.user(name, domain.RoleStaff)
	require.NoError(w.t, w.store.Users.Update(context.Background(), u.ID(), func(u *domain.User) error {
		u.LinkTelegram(chat, w.clock.Now())
		if edit != nil {
			edit(u)
		}
		return nil
	}))
	return w.reload(u)
}

// deliver gives the handler every stored event of its kinds, as the
// dispatcher would, and returns the outcomes' notes.
func (w *staffWorld) deliver() []string {
	w.t.Helper()
	es, err := w.store.Events.ListEvents(context.Background(), w.alerts.Kinds(), 0, 1000)
	require.NoError(w.t, err)
	var notes []string
	for i := len(es) - 1; i >= 0; i-- { // oldest first
		e := es[i]
		if _, skip := w.alerts.Route(e); skip != "" {
			notes = append(notes, "route: "+skip)
			continue
		}
		out, err := w.alerts.Handle(context.Background(), e)
		require.NoError(w.t, err)
		notes = append(notes, out.Note)
	}
	return notes
}

func TestANewTicketAlertsEveryLinkedStaffMemberWhoWantsIt(t *testing.T) {
	w := newStaffWorld(t)
	w.linkedStaff("bob", 2001, nil)
	w.linkedStaff("quiet", 2002, func(u *domain.User) { u.SetStaffAlerts(false, true) })
	w.linkedStaff("gone", 2003, func(u *domain.User) { u.SetActive(u, false, w.clock.Now()) })
	w.user("unlinked", domain.RoleStaff)
	admin := w.linkedStaff("ada", 2004, nil)
	require.NoError(t, w.store.Users.Update(context.Background(), admin.ID(), func(u *domain.User) error {
		u.ChangeRole(u, domain.RoleAdmin, w.clock.Now())
		return nil
	}))

	tk := w.ticket(w.alice, "Printer")
	w.deliver()

	for _, chat := range []int64{2001, 2004} {
		require.Len(t, w.notifier.sent[chat], 1, "chat %d", chat)
		n := w.notifier.sent[chat][0]
		assert.Equal(t, application.NotifyNewTicket, n.Kind)
		assert.True(t, n.Staff)
		assert.Equal(t, tk.ID(), n.TicketID)
		assert.Equal(t, "alice", n.Author)
		assert.Equal(t, "text of Printer", n.Text)
		assert.Equal(t, fmt.Sprintf("https://crm.example/tickets/%d", tk.ID()), n.URL)
	}
	for _, chat := range []int64{aliceChat, 2002, 2003} {
		assert.Empty(t, w.notifier.sent[chat], "chat %d", chat)
	}
}

// countingTickets counts the tickets read through it.
type countingTickets struct {
	application.TicketGetter
	gets int
}

func (c *countingTickets) Get(ctx context.Context, id int64) (*domain.Ticket, error) {
	c.gets++
	return c.TicketGetter.Get(ctx, id)
}

// A new ticket's alert reads the ticket (its text) only for someone to
// send it to: on a desk whose staff have no chat, or want no alert, every
// submission's alert ends without it.
func TestANewTicketNobodyWantsToHearOfIsNotRead(t *testing.T) {
	w := newStaffWorld(t)
	counted := &countingTickets{TicketGetter: w.store.Tickets}
	w.alerts = application.NewNotifyStaff(w.store.Users, counted, w.notifier, "")
	w.user("unlinked", domain.RoleStaff)
	w.linkedStaff("quiet", 2002, func(u *domain.User) { u.SetStaffAlerts(false, true) })

	w.ticket(w.alice, "Printer")
	assert.Equal(t, []string{"skipped: no staff chat wants new tickets"}, w.deliver())
	assert.Zero(t, counted.gets, "tickets read")

	w.linkedStaff("bob", 2001, nil)
	w.ticket(w.alice, "Scanner")
	notes := w.deliver()
	assert.Contains(t, notes, "sent to chats 2001")
	assert.Equal(t, 2, counted.gets, "tickets read: both alerts, now that bob wants them")
	require.Len(t, w.notifier.sent[2001], 2)
	assert.Equal(t, "text of Scanner", w.notifier.sent[2001][1].Text)
}

func TestABlockedStaffChatIsUnlinkedAndTheOthersStillHear(t *testing.T) {
	w := newStaffWorld(t)
	blocker := w.linkedStaff("blocker", 2001, nil)
	w.linkedStaff("bob", 2002, nil)
	w.notifier.blocked[2001] = true

	w.ticket(w.alice, "Printer")
	w.deliver()

	assert.Len(t, w.notifier.sent[2002], 1)
	_, linked := w.reload(blocker).TelegramChatID()
	assert.False(t, linked)
}

func TestTheOwnersReplyAlertsTheAssigneeOnly(t *testing.T) {
	w := newStaffWorld(t)
	bob := w.linkedStaff("bob", 2001, func(u *domain.User) { u.SetStaffAlerts(false, true) })
	w.linkedStaff("carol", 2002, func(u *domain.User) { u.SetStaffAlerts(false, true) })
	tk := w.ticket(w.alice, "Printer")
	other := w.ticket(w.alice, "Not assigned")
	assign := application.NewAssignTicketHandler(w.store.Tickets, w.store.Users, w.clock)
	require.NoError(t, assign.Handle(context.Background(), application.AssignTicket{Actor: bob, TicketID: tk.ID(), AssigneeID: bob.ID()}))
	comment := application.NewAddCommentHandler(w.store.Tickets, w.clock, application.AttachmentLimits{})
	add := func(actor *domain.User, id int64, text string, internal bool) {
		require.NoError(t, comment.Handle(context.Background(), application.AddComment{Actor: actor, TicketID: id, Text: text, Internal: internal}))
	}
	add(w.alice, tk.ID(), "It still jams.", false)
	add(w.alice, other.ID(), "Anyone?", false)
	add(bob, tk.ID(), "On my way.", false)
	add(bob, tk.ID(), "Secret: the drum is worn.", true)

	notes := w.deliver()

	require.Len(t, w.notifier.sent[2001], 1)
	n := w.notifier.sent[2001][0]
	assert.Equal(t, application.NotifyOwnerReply, n.Kind)
	assert.Equal(t, "It still jams.", n.Text)
	assert.Equal(t, "alice", n.Author)
	assert.True(t, n.Staff)
	assert.Empty(t, w.notifier.sent[2002])
	assert.Contains(t, notes, "skipped: not assigned")
	assert.Contains(t, notes, "route: not written by the owner")
	assert.Contains(t, notes, "route: internal note")
	for _, sent := range w.notifier.sent {
		for _, n := range sent {
			assert.NotContains(t, n.Text, "Secret", "a note is never sent")
		}
	}
}

func TestTheOwnersReplyIsNotSentWhenTheAssigneeCannotHaveIt(t *testing.T) {
	for name, edit := range map[string]func(u *domain.User){
		"switched off":  func(u *domain.User) { u.SetStaffAlerts(false, false) },
		"no more staff": func(u *domain.User) { u.ChangeRole(u, domain.RoleUser, u.CreatedAt()) },
		"deactivated":   func(u *domain.User) { u.SetActive(u, false, u.CreatedAt()) },
		"unlinked":      func(u *domain.User) { u.UnlinkTelegram() },
	} {
		t.Run(name, func(t *testing.T) {
			w := newStaffWorld(t)
			bob := w.linkedStaff("bob", 2001, func(u *domain.User) { u.SetStaffAlerts(false, true) })
			tk := w.ticket(w.alice, "Printer")
			require.NoError(t, application.NewAssignTicketHandler(w.store.Tickets, w.store.Users, w.clock).Handle(context.Background(),
				application.AssignTicket{Actor: bob, TicketID: tk.ID(), AssigneeID: bob.ID()}))
			require.NoError(t, w.store.Users.Update(context.Background(), bob.ID(), func(u *domain.User) error { edit(u); return nil }))
			require.NoError(t, application.NewAddCommentHandler(w.store.Tickets, w.clock, application.AttachmentLimits{}).Handle(
				context.Background(), application.AddComment{Actor: w.alice, TicketID: tk.ID(), Text: "Hello?"}))

			w.deliver()

			assert.Empty(t, w.notifier.sent)
		})
	}
}

func TestStaffButtonsGoThroughTheUseCases(t *testing.T) {
	w := newStaffWorld(t)
	bob := w.linkedStaff("bob", 2001, nil)
	w.linkedUser("mallory", 3001)
	tk := w.ticket(w.alice, "Printer")
	take, progress := fmt.Sprintf("k:%d", tk.ID()), fmt.Sprintf("p:%d", tk.ID())

	for _, c := range []struct {
		name string
		chat int64
		data string
	}{
		{"the owner takes", aliceChat, take},
		{"the owner starts the work", aliceChat, progress},
		{"a stranger takes", 3001, take},
		{"a stranger starts the work", 3001, progress},
		{"no such ticket", 2001, "k:999"},
		{"a padded id", 2001, fmt.Sprintf("k:0%d", tk.ID())},
		{"a negative id", 2001, "p:-1"},
		{"extra fields", 2001, take + ":1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, application.ToastRefused, w.press(c.chat, c.data).Toast)
			after, err := w.store.Tickets.Get(context.Background(), tk.ID())
			require.NoError(t, err)
			assert.Zero(t, after.AssigneeID())
			assert.Equal(t, domain.StatusOpen, after.Status())
		})
	}

	assert.Equal(t, application.ToastDone, w.press(2001, take).Toast)
	assert.Equal(t, application.ToastStale, w.press(2001, take).Toast, "taken already")
	assert.Equal(t, application.ToastDone, w.press(2001, progress).Toast)
	assert.Equal(t, application.ToastStale, w.press(2001, progress).Toast, "in progress already")
	after, err := w.store.Tickets.Get(context.Background(), tk.ID())
	require.NoError(t, err)
	assert.Equal(t, bob.ID(), after.AssigneeID())
	assert.Equal(t, domain.StatusInProgress, after.Status())
}

func TestAStaffReplyIsACommentAndNoteAsAReplyIsInternal(t *testing.T) {
	w := newStaffWorld(t)
	bob := w.linkedStaff("bob", 2001, nil)
	tk := w.ticket(w.alice, "Printer")
	ctx := context.Background()
	require.NoError(t, w.chats.RememberMessage(ctx, 2001, 50, tk.ID(), w.clock.Now()))
	require.NoError(t, w.chats.RememberMessage(ctx, aliceChat, 60, tk.ID(), w.clock.Now()))

	assert.Equal(t, application.ReplyCommented, w.say(2001, "On my way.", 50).Kind)
	noted := w.say(2001, "/note The drum is worn.\nOrder one.", 50)
	assert.Equal(t, application.ReplyNoted, noted.Kind)
	assert.Equal(t, tk.ID(), noted.TicketID)
	assert.Equal(t, application.ReplyNoteHowTo, w.say(2001, "/note Not a reply.", 0).Kind)
	assert.Equal(t, application.ReplyNoteHowTo, w.say(2001, "/note", 50).Kind)
	assert.Equal(t, application.ReplyNoteHowTo, w.say(2001, "/note To a message I never sent.", 77).Kind)
	assert.Equal(t, application.ReplyHelpLinked, w.say(aliceChat, "/note Only staff write notes.", 60).Kind)

	after, err := w.store.Tickets.Get(ctx, tk.ID())
	require.NoError(t, err)
	cs := after.Comments()
	require.Len(t, cs, 2)
	assert.Equal(t, bob.ID(), cs[0].AuthorID)
	assert.Equal(t, "On my way.", cs[0].Text)
	assert.False(t, cs[0].Internal)
	assert.Equal(t, bob.ID(), cs[1].AuthorID)
	assert.Equal(t, "The drum is worn.\nOrder one.", cs[1].Text)
	assert.True(t, cs[1].Internal)
}
