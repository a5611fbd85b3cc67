package telegram_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
	"crm/test/fakebotapi"
)

// linkedStaff adds a staff member whose chat is linked.
func (sc *scenario) linkedStaff(name string, chat int64) *domain.User {
	sc.t.Helper()
	u := sc.user(name, domain.RoleStaff)
	require.NoError(sc.t, sc.db.users.Update(context.Background(), u.ID(), func(u *domain.User) error {
		u.LinkTelegram(chat, sc.clock.Now())
		return nil
	}))
	return u
}

// submit is the owner submitting a ticket through the use case.
func (p *process) submit(owner *domain.User, title string) *domain.Ticket {
	p.sc.t.Helper()
	tk, err := application.NewSubmitTicketHandler(p.st.tickets, p.sc.clock, application.AttachmentLimits{}).Handle(
		context.Background(), application.SubmitTicket{Actor: owner, Title: title, Text: "The text of " + title, Type: "repair"})
	require.NoError(p.sc.t, err)
	p.dispatcher.Wake()
	return tk
}

// staffNote waits for a done staff alert delivery whose note has part.
func (sc *scenario) staffNote(part string) {
	sc.t.Helper()
	require.Eventually(sc.t, func() bool {
		for _, d := range sc.deliveries() {
			if d.Handler == application.NotifyStaffName && d.Status == application.DeliveryDone && strings.Contains(d.Note, part) {
				return true
			}
		}
		return false
	}, wait, 10*time.Millisecond, "a staff alert noted %q", part)
}

func TestStaffWorkATicketFromTheirChat(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			p := sc.start(processConfig{chatInterval: fast, staffAlerts: true})
			bob := sc.linkedStaff("bob", 2001)
			alice := sc.linkedUser("alice", 1001)
			sc.linkedUser("mallory", 3001)

			tk := p.submit(alice, "Printer")
			alert := sc.remembered(sc.sentTo(2001, 1)[0])
			assert.Contains(t, alert.Text, fmt.Sprintf("New ticket #%d “Printer” from alice", tk.ID()))
			assert.Contains(t, alert.Text, "The text of Printer")
			take, progress := button(t, alert, "Take it"), button(t, alert, "In progress")
			assert.Equal(t, fmt.Sprintf("k:%d", tk.ID()), take)
			assert.Equal(t, fmt.Sprintf("p:%d", tk.ID()), progress)
			assert.Contains(t, alert.AllButtons(), fakebotapi.Button{Text: "Open on the site", URL: ticketURL(tk)})

			// Someone who is not staff, pressing the same data, changes nothing.
			sc.srv.PressButton(3001, "mallory", 5, take)
			sc.srv.PressButton(1001, "alice", 5, progress)
			sc.srv.PressButton(2001, "bob", alert.MessageID, "k:"+strings.Repeat("9", 30))
			assert.Equal(t, []string{"You cannot do that; nothing changed.", "You cannot do that; nothing changed.",
				"You cannot do that; nothing changed."}, sc.answers(3))
			assert.Zero(t, sc.reload(tk.ID()).AssigneeID())
			assert.Equal(t, domain.StatusOpen, sc.reload(tk.ID()).Status())

			sc.srv.PressButton(2001, "bob", alert.MessageID, take)
			assert.Equal(t, "Done.", sc.answers(4)[3])
			assert.Equal(t, bob.ID(), sc.reload(tk.ID()).AssigneeID())
			sc.srv.PressButton(2001, "bob", alert.MessageID, progress)
			assert.Equal(t, "Done.", sc.answers(5)[4])
			assert.Equal(t, domain.StatusInProgress, sc.reload(tk.ID()).Status())
			assert.Contains(t, sc.sentTo(1001, 1)[0].Text, "In progress", "the owner hears of the move")

			sc.srv.SendReply(2001, "bob", "I will come at three.", alert.MessageID)
			assert.Contains(t, sc.sentTo(2001, 2)[1].Text, fmt.Sprintf("Your comment was added to ticket #%d", tk.ID()))
			reply := sc.remembered(sc.sentTo(1001, 2)[1])
			assert.Contains(t, reply.Text, "I will come at three.")
			assert.Contains(t, reply.Text, "bob")

			sc.srv.SendReply(2001, "bob", "/note The drum is worn.", alert.MessageID)
			assert.Contains(t, sc.sentTo(2001, 3)[2].Text, "internal note was added")
			sc.srv.SendReply(2001, "bob", "Bring the receipt, please.", alert.MessageID)
			sc.sentTo(1001, 3)
			sc.sentTo(2001, 4)
			cs := sc.reload(tk.ID()).Comments()
			require.Len(t, cs, 3)
			assert.True(t, cs[1].Internal)
			assert.Equal(t, "The drum is worn.", cs[1].Text)
			for _, m := range sc.srv.SentTo(1001) {
				assert.NotContains(t, m.Text, "drum", "the owner's chat never gets a note")
			}

			// The owner's reply reaches the assignee, whose reply threads.
			sc.srv.SendReply(1001, "alice", "Three is fine.", reply.MessageID)
			ownerReply := sc.remembered(sc.sentTo(2001, 5)[4])
			assert.Contains(t, ownerReply.Text, "alice")
			assert.Contains(t, ownerReply.Text, "Three is fine.")
			assert.Equal(t, "Take it", ownerReply.AllButtons()[0].Text)
		})
	}
}

func TestStaffAlertsSwitchedOffStayQuiet(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			p := sc.start(processConfig{chatInterval: fast, staffAlerts: true})
			bob := sc.linkedStaff("bob", 2001)
			sc.linkedStaff("carol", 2002)
			alice := sc.linkedUser("alice", 1001)
			require.NoError(t, sc.db.users.Update(context.Background(), bob.ID(), func(u *domain.User) error {
				u.SetStaffAlerts(false, false)
				return nil
			}))

			tk := p.submit(alice, "Printer")
			sc.sentTo(2002, 1) // carol hears of it in the same delivery as bob would
			require.NoError(t, application.NewAssignTicketHandler(p.st.tickets, p.st.users, sc.clock).Handle(context.Background(),
				application.AssignTicket{Actor: bob, TicketID: tk.ID(), AssigneeID: bob.ID()}))
			p.addComment(alice, tk, "Any news?", false)
			sc.staffNote("owner replies switched off")

			assert.Empty(t, sc.srv.SentTo(2001))
		})
	}
}
