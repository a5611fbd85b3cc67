package telegram_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/delivery"
	"crm/application"
	"crm/domain"
	"crm/test/fakebotapi"
)

func TestNotificationOnStatusChangeAndStaffComment(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	// No wake on commit: the dispatcher's own poll must still be within 1s.
	p := sc.start(processConfig{noWake: true})
	staff := sc.user("staff_user", domain.RoleStaff)
	alice := sc.linkedUser("alice", 1001)
	tk := sc.ticket(alice, "Printer <broken> & *jammed*")

	changed := time.Now()
	p.setStatus(staff, tk, "in_progress")
	first := sc.srv.WaitForSent(t, 1, wait)[0]
	assert.Less(t, first.At.Sub(changed), time.Second, "sent within a second of the change")

	p.addComment(staff, tk, "staff only", true)
	p.addComment(alice, tk, "thank you", false)
	p.addComment(staff, tk, "Please bring it in.", false)
	sent := sc.srv.WaitForSent(t, 2, wait)
	sc.settled(4)

	assert.Equal(t, []string{
		fmt.Sprintf("Ticket #%d “Printer <broken> & *jammed*”: the status is now “In progress”.\n\nOpen the ticket: %s", tk.ID(), ticketURL(tk)),
		fmt.Sprintf("Ticket #%d “Printer <broken> & *jammed*”: new comment from staff_user:\n\nPlease bring it in.\n\nOpen the ticket: %s", tk.ID(), ticketURL(tk)),
	}, texts(sent), "internal notes and the owner's own comments are not sent")
	for _, m := range sent {
		assert.Equal(t, int64(1001), m.ChatID)
		assert.Empty(t, m.ParseMode, "plain text: nothing to escape")
	}
}

func TestNotificationInTheOwnersLanguage(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{})
	staff := sc.user("staff_user", domain.RoleStaff)
	ivan := sc.linkedUser("ivan", 1001)
	require.NoError(t, sc.db.users.Update(t.Context(), ivan.ID(), func(u *domain.User) error { return u.SetLanguage("ru") }))
	tk := sc.ticket(ivan, "Ремонт")
	p.setStatus(staff, tk, "closed")
	got := sc.srv.WaitForSent(t, 1, wait)[0].Text
	assert.True(t, strings.HasPrefix(got, fmt.Sprintf("Заявка #%d «Ремонт»: статус изменён на «Закрыта».", tk.ID())), got)
}

func TestTelegramDownThenUpDeliversOnce(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{noPoller: true})
	staff := sc.user("staff_user", domain.RoleStaff)
	alice := sc.linkedUser("alice", 1001)
	tk := sc.ticket(alice, "Outage")
	require.NoError(t, p.client.Connect(t.Context())) // the process started while Telegram was up

	sc.srv.SetDown(true)
	p.setStatus(staff, tk, "in_progress")
	sc.srv.WaitForRequests(t, "sendMessage", 2, wait) // it tried, and tried again
	d := sc.deliveries()[0]
	assert.Equal(t, application.DeliveryPending, d.Status)
	assert.NotEmpty(t, d.LastError, "staff see why it waits")

	sc.srv.SetDown(false)
	sc.srv.WaitForSent(t, 1, wait)
	done := sc.settled(1)[0]
	assert.Equal(t, application.DeliveryDone, done.Status)
	assert.Equal(t, "sent to chat 1001", done.Note)
	p.roundsPass(5)
	assert.Len(t, sc.srv.SentTo(1001), 1, "delivered exactly once")
}

func TestRetryAfterIsHonoured(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{noPoller: true,
		dispatcher: delivery.Config{BackoffMin: 10 * time.Millisecond, BackoffMax: 10 * time.Millisecond}})
	staff := sc.user("staff_user", domain.RoleStaff)
	tk := sc.ticket(sc.linkedUser("alice", 1001), "Flood")

	sc.srv.FailNext("sendMessage", 1, fakebotapi.TooManyRequests(2))
	p.setStatus(staff, tk, "closed")
	sc.srv.WaitForRequests(t, "sendMessage", 1, wait)
	refused := time.Now()
	sent := sc.srv.WaitForSent(t, 1, wait)[0]
	assert.GreaterOrEqual(t, sent.At.Sub(refused), 1900*time.Millisecond, "waited retry_after, not the 10ms backoff")
	assert.Equal(t, 2, sc.srv.Requests("sendMessage"), "no attempt in between")
	assert.Zero(t, sc.srv.Count429())
}

func TestBlockedChatIsUnlinked(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{noPoller: true})
	staff := sc.user("staff_user", domain.RoleStaff)
	alice := sc.linkedUser("alice", 1001)
	tk := sc.ticket(alice, "Blocked")

	sc.srv.BlockChat(1001)
	p.setStatus(staff, tk, "in_progress")
	failed := sc.settled(1)[0]
	assert.Equal(t, application.DeliveryFailed, failed.Status)
	assert.Contains(t, failed.LastError, "bot was blocked by the user")
	assert.Contains(t, failed.LastError, "chat 1001 unlinked")
	assert.Zero(t, sc.chatOf(alice))

	page, err := p.tg.ListDeliveries.Handle(t.Context(), application.ListDeliveries{Actor: staff})
	require.NoError(t, err)
	require.Len(t, page.Deliveries, 1, "staff see the failed delivery")

	p.setStatus(staff, tk, "closed")
	next := sc.settled(2)[0]
	assert.Equal(t, "skipped: telegram not linked", next.Note)
	assert.Equal(t, 1, sc.srv.Requests("sendMessage"))
}

func TestStaffRetryAFailedDelivery(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{noPoller: true})
	staff := sc.user("staff_user", domain.RoleStaff)
	tk := sc.ticket(sc.linkedUser("alice", 1001), "Bad request")

	sc.srv.FailNext("sendMessage", 1, fakebotapi.BadRequest("chat not found"))
	p.setStatus(staff, tk, "in_progress")
	failed := sc.settled(1)[0]
	assert.Equal(t, application.DeliveryFailed, failed.Status)
	assert.Contains(t, failed.LastError, "chat not found")

	require.NoError(t, p.tg.RetryDelivery.Handle(t.Context(), application.RetryDelivery{Actor: staff, ID: failed.ID}))
	sc.srv.WaitForSent(t, 1, wait)
	assert.Equal(t, application.DeliveryDone, sc.settled(1)[0].Status)
}

func TestThreeQuickChangesArriveInOrder(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{noPoller: true})
	staff := sc.user("staff_user", domain.RoleStaff)
	tk := sc.ticket(sc.linkedUser("alice", 1001), "Quick")

	for _, st := range []string{"in_progress", "closed", "open"} {
		p.setStatus(staff, tk, st)
	}
	sent := sc.srv.WaitForSent(t, 3, wait)
	for i, want := range []string{"In progress", "Closed", "Open"} {
		assert.Contains(t, sent[i].Text, "“"+want+"”")
	}
	assert.Zero(t, sc.srv.Count429())
}

func TestTwoHundredNotificationsToFiftyChats(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t)) // the fake's limits: 30/s, 1/s per chat
	p := sc.start(processConfig{noPoller: true})
	staff := sc.user("staff_user", domain.RoleStaff)
	tickets := make([]*domain.Ticket, 50)
	for i := range tickets {
		tickets[i] = sc.ticket(sc.linkedUser(fmt.Sprintf("user%02d", i), int64(2000+i)), fmt.Sprintf("T%02d", i))
	}
	start := time.Now()
	for _, st := range []string{"in_progress", "closed", "open", "closed"} {
		for _, tk := range tickets {
			p.setStatus(staff, tk, st)
		}
	}
	sc.srv.WaitForSent(t, 200, 30*time.Second)
	t.Logf("200 messages in %v", time.Since(start))
	assert.Zero(t, sc.srv.Count429(), "Telegram's limits were kept")
	for i := range tickets {
		var got []string
		for _, m := range sc.srv.SentTo(int64(2000 + i)) {
			got = append(got, m.Text[strings.Index(m.Text, "now ")+4:])
		}
		assert.Equal(t, []string{"“In progress”.\n\nOpen the ticket: " + ticketURL(tickets[i]),
			"“Closed”.\n\nOpen the ticket: " + ticketURL(tickets[i]),
			"“Open”.\n\nOpen the ticket: " + ticketURL(tickets[i]),
			"“Closed”.\n\nOpen the ticket: " + ticketURL(tickets[i])}, got, "chat %d in order", 2000+i)
	}
	assert.Len(t, sc.srv.Sent(), 200)
}

func TestWebhookModeChecksTheSecret(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{noPoller: true})
	site := webhookSite(t, p, "hook_secret-1")
	alice := sc.user("alice", domain.RoleUser)
	link := p.startLink(alice)
	update := sc.srv.NewTextUpdate(1001, "alice", link.Command)

	for _, secret := range []string{"", "hook_secret-2"} {
		req, err := http.NewRequest(http.MethodPost, site+"/telegram/webhook", strings.NewReader(string(update)))
		require.NoError(t, err)
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	assert.Zero(t, sc.chatOf(alice))

	resp, err := sc.srv.DeliverWebhook(t.Context(), update)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, int64(1001), sc.chatOf(alice))
	assert.Contains(t, sc.srv.WaitForSent(t, 1, wait)[0].Text, "linked to the account alice")
	assert.Zero(t, sc.srv.Requests("getUpdates"), "webhook mode does not poll")
}
