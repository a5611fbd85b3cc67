package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/fakebotapi"
)

func TestStaffAlertsAreSwitchedOnTheAccountPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		srv := fakebotapi.New(t)
		a := startTelegramApp(t, dbURL, srv)
		bob := a.staffBrowser("alerts_bob", "staff")
		bob.linkTelegram(srv, 6001, "alerts_bob")
		carol := a.staffBrowser("alerts_carol", "staff")
		carol.linkTelegram(srv, 6002, "alerts_carol")
		page := bob.get("/account").body
		assert.Contains(t, page, `<input type="checkbox" name="new_tickets" value="on" checked>`, "on by default")
		assert.Contains(t, page, `<input type="checkbox" name="owner_replies" value="on" checked>`)

		owner := a.browser()
		owner.mustSignUp("alerts_owner", "correct-horse")
		assert.NotContains(t, owner.get("/account").body, `name="new_tickets"`, "only staff have alerts")
		first := owner.submit("Broken chair", "The leg is loose.", "repair")
		srv.WaitUntil(t, telegramWait, "bob's alert", func() bool { return len(srv.SentTo(6001)) >= 2 })
		assert.Contains(t, srv.SentTo(6001)[1].Text, fmt.Sprintf("New ticket #%d “Broken chair”", first))

		r := bob.post("/account/telegram/alerts", url.Values{"owner_replies": {"on"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		page = bob.get("/account").body
		assert.Contains(t, page, `<input type="checkbox" name="new_tickets" value="on">`, "switched off")
		assert.Contains(t, page, `<input type="checkbox" name="owner_replies" value="on" checked>`)

		second := owner.submit("Broken lamp", "No light.", "repair")
		srv.WaitUntil(t, telegramWait, "carol's alert", func() bool { return len(srv.SentTo(6002)) >= 3 })
		assert.Contains(t, srv.SentTo(6002)[2].Text, fmt.Sprintf("#%d", second))
		assert.Len(t, srv.SentTo(6001), 2, "bob's chat heard nothing of the second ticket")
	})
}
