package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/fakebotapi"
)

const telegramWait = 15 * time.Second

// startTelegramApp starts the application with Telegram pointed at srv.
func startTelegramApp(t *testing.T, dbURL string, srv *fakebotapi.Server) *app {
	t.Helper()
	a := startApp(t, dbURL,
		"CRM_TELEGRAM_TOKEN", srv.Token(), "CRM_TELEGRAM_API_URL", srv.URL(),
		"CRM_PUBLIC_URL", "http://crm.test")
	// The poller asks getMe before its first getUpdates: from then on the
	// pages know the bot's name for the t.me link.
	srv.WaitUntil(t, telegramWait, "the poller's first getUpdates", func() bool { return srv.Requests("getUpdates") > 0 })
	return a
}

var startCommand = regexp.MustCompile(`/start ([A-Za-z0-9_-]{20,64})`)

// linkTelegram presses "Link Telegram" on the account page and sends the
// command it shows to the bot from chatID.
func (b *browser) linkTelegram(srv *fakebotapi.Server, chatID int64, username string) {
	b.t.Helper()
	r := b.post("/account/telegram/link", nil)
	require.Equal(b.t, http.StatusSeeOther, r.status, r.body)
	r = b.get(r.location)
	require.Equal(b.t, http.StatusOK, r.status)
	m := startCommand.FindStringSubmatch(r.body)
	require.NotNil(b.t, m, "the account page shows the /start command")
	assert.Contains(b.t, r.body, "https://t.me/"+srv.BotUsername()+"?start="+m[1], "and the deep link")
	before := len(srv.SentTo(chatID))
	srv.SendText(chatID, username, "/start "+m[1])
	srv.WaitUntil(b.t, telegramWait, "the bot's reply", func() bool { return len(srv.SentTo(chatID)) > before })
	assert.Contains(b.t, srv.SentTo(chatID)[before].Text, username)
}

func TestTelegramLinkAndNotificationsSurviveAnOutageAndARestart(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		srv := fakebotapi.New(t)
		a := startTelegramApp(t, dbURL, srv)
		owner := a.browser()
		owner.mustSignUp("tg_owner", "correct-horse")
		id := owner.submit("Пропал звук", "x", "repair")
		owner.linkTelegram(srv, 5001, "tg_owner")
		assert.Contains(t, owner.get("/account").body, "/account/telegram/unlink", "the account page shows the link")

		staff := a.staffBrowser("tg_staff", "staff")
		r := staff.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"in_progress"}})
		require.Equal(t, http.StatusSeeOther, r.status)
		srv.WaitUntil(t, telegramWait, "the status notification", func() bool { return len(srv.SentTo(5001)) >= 2 })
		msg := srv.SentTo(5001)[1].Text
		assert.Contains(t, msg, fmt.Sprintf("#%d", id))
		assert.Contains(t, msg, "Пропал звук")
		assert.Contains(t, msg, fmt.Sprintf("http://crm.test/tickets/%d", id))

		// Telegram goes down; staff closes the ticket; the process stops
		// with the message still pending.
		srv.SetDown(true)
		r = staff.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"closed"}, "comment": {"Готово"}})
		require.Equal(t, http.StatusSeeOther, r.status, "the change is saved while Telegram is down")
		srv.WaitUntil(t, telegramWait, "a failed attempt", func() bool { return srv.Requests("sendMessage") >= 3 })
		a.stop()
		srv.SetDown(false)

		// A new process on the same database delivers it, once.
		a2 := startTelegramApp(t, dbURL, srv)
		srv.WaitUntil(t, telegramWait, "the pending notification", func() bool { return len(srv.SentTo(5001)) >= 3 })
		staff2 := a2.browser()
		require.Equal(t, http.StatusSeeOther, staff2.login("tg_staff", "correct-horse").status)
		r = staff2.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"open"}})
		require.Equal(t, http.StatusSeeOther, r.status)
		srv.WaitUntil(t, telegramWait, "the reopen notification", func() bool { return len(srv.SentTo(5001)) >= 4 })
		var closed int
		for _, m := range srv.SentTo(5001) {
			if strings.Contains(m.Text, "Готово") {
				closed++
			}
		}
		assert.Equal(t, 1, closed, "the message sent while down arrives exactly once, before the next one")
		assert.Contains(t, srv.SentTo(5001)[3].Text, "Open")
		assert.Zero(t, srv.Count429(), "the rate limits were respected")
	})
}

func TestTelegramWebhookModeChecksTheSecret(t *testing.T) {
	srv := fakebotapi.New(t)
	a := startApp(t, "sqlite:"+t.TempDir()+"/crm.db",
		"CRM_TELEGRAM_TOKEN", srv.Token(), "CRM_TELEGRAM_API_URL", srv.URL(),
		"CRM_TELEGRAM_MODE", "webhook", "CRM_TELEGRAM_WEBHOOK_SECRET", "s3cret-value",
		"CRM_PUBLIC_URL", "http://crm.test")
	srv.WaitUntil(t, telegramWait, "setWebhook", func() bool { u, _ := srv.Webhook(); return u != "" })
	u, secret := srv.Webhook()
	assert.Equal(t, "http://crm.test/telegram/webhook", u)
	assert.Equal(t, "s3cret-value", secret)

	post := func(secret string) int {
		req, err := http.NewRequest(http.MethodPost, a.base+"/telegram/webhook", strings.NewReader(string(srv.NewTextUpdate(7, "x", "/help"))))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set(fakebotapi.SecretTokenHeader, secret)
		}
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	assert.Equal(t, http.StatusUnauthorized, post(""))
	assert.Equal(t, http.StatusUnauthorized, post("wrong"))
	assert.Empty(t, srv.SentTo(7), "a refused call does nothing")
	assert.Equal(t, http.StatusOK, post("s3cret-value"))
	srv.WaitUntil(t, telegramWait, "the help reply", func() bool { return len(srv.SentTo(7)) == 1 })
}
