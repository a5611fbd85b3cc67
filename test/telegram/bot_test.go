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

// fast is the least time between two messages to a chat in the bot's
// scenarios, on both sides, so a dialogue of several messages takes
// no seconds.
const fast = 20 * time.Millisecond

var bothBackends = map[string]func(*testing.T) backend{"sqlite": sqliteBackend, "postgres": postgresBackend}

func newBotScenario(t *testing.T, b backend) *scenario {
	return newScenario(t, b, fakebotapi.WithChatInterval(fast))
}

// sentTo waits until chat got n messages and returns them.
func (sc *scenario) sentTo(chat int64, n int) []fakebotapi.SentMessage {
	sc.t.Helper()
	sc.srv.WaitUntil(sc.t, wait, fmt.Sprintf("%d messages to chat %d", n, chat), func() bool {
		return len(sc.srv.SentTo(chat)) >= n
	})
	return sc.srv.SentTo(chat)
}

// answers waits until n button presses were answered and returns the
// answers' texts.
func (sc *scenario) answers(n int) []string {
	sc.t.Helper()
	sc.srv.WaitUntil(sc.t, wait, fmt.Sprintf("%d callback answers", n), func() bool {
		return len(sc.srv.CallbackAnswers()) >= n
	})
	var out []string
	for _, a := range sc.srv.CallbackAnswers() {
		out = append(out, a.Text)
	}
	return out
}

// button returns the data of the message's button labelled label.
func button(t *testing.T, m fakebotapi.SentMessage, label string) string {
	t.Helper()
	for _, b := range m.AllButtons() {
		if b.Text == label {
			return b.CallbackData
		}
	}
	t.Fatalf("no button %q in %+v", label, m.Buttons())
	return ""
}

// remembered waits until the bot has stored its message m as about a
// ticket: that follows the send, so a test that replied at once could
// outrun it, which a person cannot.
func (sc *scenario) remembered(m fakebotapi.SentMessage) fakebotapi.SentMessage {
	sc.t.Helper()
	require.Eventually(sc.t, func() bool {
		_, err := sc.db.chats.TicketOfMessage(context.Background(), m.ChatID, m.MessageID)
		return err == nil
	}, wait, 5*time.Millisecond, "message %d remembered", m.MessageID)
	return m
}

func (sc *scenario) reload(id int64) *domain.Ticket {
	sc.t.Helper()
	tk, err := sc.db.tickets.Get(context.Background(), id)
	require.NoError(sc.t, err)
	return tk
}

func TestBotOpensATicketWithNew(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			sc.start(processConfig{chatInterval: fast})
			alice := sc.linkedUser("alice", 1001)

			sc.srv.SendText(1001, "alice", "/new")
			ask := sc.sentTo(1001, 1)[0]
			assert.Contains(t, ask.Text, "Choose a type")
			sc.srv.PressButton(1001, "alice", ask.MessageID, button(t, ask, "Repair"))
			assert.Equal(t, []string{""}, sc.answers(1))
			assert.Contains(t, sc.sentTo(1001, 2)[1].Text, "Type: Repair")

			sc.srv.SendText(1001, "alice", "The printer is jammed\nPaper stuck in tray 2.")
			done := sc.sentTo(1001, 3)[2]
			p, err := sc.db.tickets.Search(t.Context(), application.TicketFilter{OwnerID: alice.ID()})
			require.NoError(t, err)
			require.Len(t, p.Tickets, 1)
			tk := sc.reload(p.Tickets[0].ID())
			assert.Equal(t, "The printer is jammed", tk.Title())
			assert.Equal(t, "Paper stuck in tray 2.", tk.Text())
			assert.Equal(t, domain.TypeRepair, tk.Type())
			assert.Contains(t, done.Text, fmt.Sprintf("Ticket #%d “The printer is jammed” is open", tk.ID()))
			assert.Contains(t, done.Text, "Open the ticket: "+ticketURL(tk))
			assert.Contains(t, done.AllButtons(), fakebotapi.Button{Text: "Open on the site", URL: ticketURL(tk)})
		})
	}
}

func TestBotThreadsAReplyToANotificationAcrossARestart(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			first := sc.start(processConfig{chatInterval: fast})
			staff := sc.user("staff_user", domain.RoleStaff)
			alice := sc.linkedUser("alice", 1001)
			tk := sc.ticket(alice, "Printer")

			first.addComment(staff, tk, "Is it plugged in?", false)
			note := sc.remembered(sc.sentTo(1001, 1)[0])
			assert.Contains(t, note.AllButtons(), fakebotapi.Button{Text: "Close, it’s solved", CallbackData: fmt.Sprintf("c:%d", tk.ID())})
			assert.Contains(t, note.AllButtons(), fakebotapi.Button{Text: "Open on the site", URL: ticketURL(tk)})
			first.stop()

			sc.start(processConfig{chatInterval: fast})
			sc.srv.SendReply(1001, "alice", "Yes, it is.", note.MessageID)
			confirm := sc.sentTo(1001, 2)[1]
			assert.Contains(t, confirm.Text, fmt.Sprintf("Your comment was added to ticket #%d", tk.ID()))
			cs := sc.reload(tk.ID()).Comments()
			require.Len(t, cs, 2)
			assert.Equal(t, "Yes, it is.", cs[1].Text)
			assert.Equal(t, alice.ID(), cs[1].AuthorID)
		})
	}
}

func TestBotClosesAndRatesByButtons(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			p := sc.start(processConfig{chatInterval: fast})
			staff := sc.user("staff_user", domain.RoleStaff)
			alice := sc.linkedUser("alice", 1001)
			tk := sc.ticket(alice, "Printer")
			p.setStatus(staff, tk, "in_progress")
			note := sc.sentTo(1001, 1)[0]

			sc.srv.PressButton(1001, "alice", note.MessageID, button(t, note, "Close, it’s solved"))
			assert.Equal(t, []string{"Done."}, sc.answers(1))
			assert.Equal(t, domain.StatusClosed, sc.reload(tk.ID()).Status())
			sc.srv.WaitUntil(t, wait, "the buttons change", func() bool { return len(sc.srv.Edits()) == 1 })
			edit := sc.srv.Edits()[0]
			assert.Equal(t, note.MessageID, edit.MessageID)
			assert.Equal(t, fakebotapi.Button{Text: "Reopen", CallbackData: fmt.Sprintf("o:%d", tk.ID())}, edit.Buttons()[0][0])

			prompt := sc.sentTo(1001, 2)[1]
			assert.Contains(t, prompt.Text, "Rate it from 1 to 5")
			sc.srv.PressButton(1001, "alice", prompt.MessageID, button(t, prompt, "5 ★"))
			assert.Equal(t, []string{"Done.", "Done."}, sc.answers(2))
			assert.Equal(t, 5, sc.reload(tk.ID()).Rating())

			sc.srv.PressButton(1001, "alice", note.MessageID, button(t, note, "Close, it’s solved"))
			assert.Equal(t, "This button no longer applies; nothing changed.", sc.answers(3)[2], "a stale button")
		})
	}
}

func TestBotForgedCallbackChangesNothing(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			sc.start(processConfig{chatInterval: fast})
			alice := sc.linkedUser("alice", 1001)
			sc.linkedUser("mallory", 2002)
			tk := sc.ticket(alice, "Printer")

			for _, data := range []string{fmt.Sprintf("c:%d", tk.ID()), fmt.Sprintf("s:%d", tk.ID()),
				fmt.Sprintf("r:%d:1", tk.ID()), "c:1; DROP TABLE tickets", strings.Repeat("x", 64)} {
				sc.srv.PressButton(2002, "mallory", 77, data)
			}
			sc.srv.PressButton(3003, "stranger", 78, fmt.Sprintf("c:%d", tk.ID()))
			got := sc.answers(6)
			for _, a := range got[:5] {
				assert.Equal(t, "You cannot do that; nothing changed.", a)
			}
			assert.Equal(t, "This chat is not linked to an account.", got[5])
			after := sc.reload(tk.ID())
			assert.Equal(t, domain.StatusOpen, after.Status())
			assert.Zero(t, after.Rating())
			assert.Empty(t, sc.srv.SentTo(2002), "nothing about alice's ticket reaches mallory")
			assert.Empty(t, sc.srv.Edits())
		})
	}
}

func TestBotUnhandledUpdatesAreIgnored(t *testing.T) {
	sc := newBotScenario(t, sqliteBackend(t))
	sc.start(processConfig{chatInterval: fast})
	sc.linkedUser("alice", 1001)
	for _, raw := range []string{
		`{"edited_message":{"message_id":5,"date":1,"chat":{"id":1001,"type":"private"},"text":"edited"}}`,
		`{"channel_post":{"message_id":6,"date":1,"chat":{"id":-1001234567890,"type":"channel"},"text":"post"}}`,
		`{"message":{"message_id":7,"date":1,"chat":{"id":1001,"type":"private"},"from":{"id":1001,"is_bot":false,"first_name":"a"},"sticker":{"file_id":"x","file_unique_id":"y","width":1,"height":1,"is_animated":false,"is_video":false,"type":"regular"}}}`,
		`{"poll":{"id":"p","question":"q","options":[],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}}`,
		`{"message":{"message_id":8,"date":1,"chat":{"id":-100500,"type":"group"},"from":{"id":1001,"is_bot":false,"first_name":"a"},"text":"chatter"}}`,
	} {
		sc.srv.PushRaw([]byte(raw))
	}
	sc.srv.SendText(1001, "alice", "/tickets")
	got := sc.sentTo(1001, 3)
	assert.Contains(t, got[0].Text, "Edits of sent messages are not applied")
	assert.Contains(t, got[1].Text, "stickers, voice messages, locations", "a sticker is answered briefly")
	assert.Contains(t, got[2].Text, "You have no open tickets", "polling went on past the others")
	sc.srv.PushRaw([]byte(`{"edited_message":{"message_id":5,"date":1,"chat":{"id":1001,"type":"private"},"text":"again"}}`))
	sc.srv.SendText(1001, "alice", "/cancel")
	got = sc.sentTo(1001, 4)
	assert.Contains(t, got[3].Text, "nothing to cancel", "an edit is explained once")
	assert.Len(t, sc.srv.Sent(), 4, "nothing else was answered")
}

func TestTwoReplicasHandleEachBotUpdateOnce(t *testing.T) {
	sc := newBotScenario(t, postgresBackend(t))
	a := sc.start(processConfig{chatInterval: fast})
	sc.srv.WaitUntil(t, wait, "the first replica polls", func() bool { return sc.srv.ActivePolls() == 1 })
	sc.start(processConfig{chatInterval: fast})
	staff := sc.user("staff_user", domain.RoleStaff)
	alice := sc.linkedUser("alice", 1001)
	tk := sc.ticket(alice, "Printer")
	a.addComment(staff, tk, "Try again?", false)
	note := sc.remembered(sc.sentTo(1001, 1)[0])

	for i := range 3 {
		sc.srv.SendReply(1001, "alice", fmt.Sprintf("Reply %d", i), note.MessageID)
	}
	a.stop() // the other replica takes over polling
	sc.srv.SendReply(1001, "alice", "Reply 3", note.MessageID)
	sc.sentTo(1001, 5)
	sc.srv.WaitUntil(t, wait, "every reply is a comment", func() bool { return len(sc.reload(tk.ID()).Comments()) >= 5 })
	var texts []string
	for _, c := range sc.reload(tk.ID()).Comments()[1:] {
		texts = append(texts, c.Text)
	}
	assert.Equal(t, []string{"Reply 0", "Reply 1", "Reply 2", "Reply 3"}, texts, "each once, in order")
	assert.Len(t, sc.srv.SentTo(1001), 5, "one confirmation each")
	assert.Equal(t, 1, sc.srv.MaxConcurrentPolls())
}

func TestBotStaffClosingAsksTheOwnerToRateAndAReplyReopens(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			p := sc.start(processConfig{chatInterval: fast})
			staff := sc.user("staff_user", domain.RoleStaff)
			alice := sc.linkedUser("alice", 1001)
			tk := sc.ticket(alice, "Printer")
			p.setStatus(staff, tk, "closed")
			note := sc.remembered(sc.sentTo(1001, 1)[0])
			assert.Contains(t, note.Text, "“Closed”")
			require.Len(t, note.Buttons()[0], 5, "five rating buttons")
			assert.Contains(t, note.AllButtons(), fakebotapi.Button{Text: "Reopen", CallbackData: fmt.Sprintf("o:%d", tk.ID())})

			sc.srv.PressButton(1001, "alice", note.MessageID, button(t, note, "4 ★"))
			assert.Equal(t, []string{"Done."}, sc.answers(1))
			assert.Equal(t, 4, sc.reload(tk.ID()).Rating())

			sc.srv.SendReply(1001, "alice", "It broke again.", note.MessageID)
			assert.Contains(t, sc.sentTo(1001, 2)[1].Text, "Your comment was added")
			after := sc.reload(tk.ID())
			assert.Equal(t, domain.StatusOpen, after.Status(), "the owner's reply reopens")
			assert.Zero(t, after.Rating(), "the rating went with the closing")
		})
	}
}
