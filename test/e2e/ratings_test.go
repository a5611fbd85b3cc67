package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The owner closes their ticket from its page, rates the help, staff see
// the rating on the ticket, in the queue and through the API; the owner's
// reply reopens the ticket with its own line in the history and clears
// the rating.
func TestTheOwnerClosesRatesAndReopensByReplying(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		recv := newWebhookReceiver(t, func(webhookCall) int { return http.StatusNoContent })
		a := startWebhookApp(t, dbURL, recv)
		owner := a.browser()
		owner.mustSignUp("rate_owner", "correct-horse")
		id := owner.submit("Пропал звук", "Совсем пропал", "repair")
		ticket := fmt.Sprintf("/tickets/%d", id)
		staff := a.staffBrowser("rate_staff", "staff")

		page := owner.get(ticket)
		require.Equal(t, http.StatusOK, page.status)
		assert.Contains(t, page.body, "Close, it&#39;s solved")
		r := owner.post(ticket+"/status", url.Values{"status": {"closed"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		page = owner.get(ticket)
		assert.Contains(t, page.body, `action="`+ticket+`/rating"`, "the owner is asked to rate")

		r = owner.post(ticket+"/rating", url.Values{"stars": {"2"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		r = owner.post(ticket+"/rating", url.Values{"stars": {"5"}})
		require.Equal(t, http.StatusSeeOther, r.status, "changeable until the ticket reopens: %s", r.body)

		staffPage := staff.get(fmt.Sprintf("/admin/tickets/%d", id))
		assert.Contains(t, staffPage.body, `<span class="rating" data-rating="5">`)
		queue := staff.get("/admin/tickets?status=closed")
		assert.Contains(t, queue.body, `data-rating="5"`, "the queue shows the rating")
		token := a.mustIssueToken("rate_staff")
		res, doc := a.apiCall(token, "GET", fmt.Sprintf("/api/v1/tickets/%d", id), "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, float64(5), doc["rating"])
		res, list := a.apiCall(token, "GET", "/api/v1/queue", "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, float64(5), list["tickets"].([]any)[0].(map[string]any)["rating"])

		r = owner.post(ticket+"/comments", url.Values{"text": {"Снова пропал"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		page = owner.get(ticket)
		assert.Contains(t, page.body, "Reopened by the owner&#39;s reply (rate_owner):")
		assert.Contains(t, page.body, "Close, it&#39;s solved", "open again")
		assert.NotContains(t, page.body, `action="`+ticket+`/rating"`)
		res, doc = a.apiCall(token, "GET", fmt.Sprintf("/api/v1/tickets/%d", id), "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, "open", doc["status"])
		assert.Nil(t, doc["rating"], "the rating was of the closing that ended")
		history := doc["history"].([]any)
		require.Len(t, history, 2)
		assert.Equal(t, true, history[1].(map[string]any)["by_reply"])

		stream := fmt.Sprintf("ticket:%d", id)
		var kinds []string
		for range 6 {
			kinds = append(kinds, recv.next(stream).payload.Kind)
		}
		assert.Equal(t, []string{"ticket.submitted", "ticket.status_changed", "ticket.rated", "ticket.rated",
			"ticket.status_changed", "ticket.comment_added"}, kinds, "webhooks hear of ratings and of the reopening")
	})
}

// A stranger cannot rate, staff cannot rate, and stars outside 1–5 are a
// 4xx that changes nothing, on the pages and through the API.
func TestRatingRefusalsChangeNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		a.mustCreateUser("rr_owner", "correct-horse", "user")
		a.mustCreateUser("rr_other", "correct-horse", "user")
		a.mustCreateUser("rr_staff", "correct-horse", "staff")
		owner, other, staff := a.mustIssueToken("rr_owner"), a.mustIssueToken("rr_other"), a.mustIssueToken("rr_staff")
		res, created := a.apiCall(owner, "POST", "/api/v1/tickets", `{"title":"Чайник","text":"Не греет.","type":"repair"}`)
		require.Equal(t, http.StatusCreated, res.status, res.body)
		id := int64(created["id"].(float64))
		rating := fmt.Sprintf("/api/v1/tickets/%d/rating", id)
		status := fmt.Sprintf("/api/v1/tickets/%d/status", id)

		res, _ = a.apiCall(owner, "POST", rating, `{"stars":5}`)
		assert.Equal(t, http.StatusConflict, res.status, "an open ticket is not rated: %s", res.body)
		res, _ = a.apiCall(other, "POST", status, `{"status":"closed"}`)
		assert.Equal(t, http.StatusNotFound, res.status, "a stranger cannot close it: %s", res.body)
		res, _ = a.apiCall(owner, "POST", status, `{"status":"in_progress"}`)
		assert.Equal(t, http.StatusForbidden, res.status, "only staff start the work: %s", res.body)
		res, doc := a.apiCall(owner, "POST", status, `{"status":"closed"}`)
		require.Equal(t, http.StatusOK, res.status, "the owner closes it: %s", res.body)
		assert.Equal(t, "closed", doc["status"])
		assert.Nil(t, doc["rating"])

		res, _ = a.apiCall(other, "POST", rating, `{"stars":5}`)
		assert.Equal(t, http.StatusNotFound, res.status, "someone else's ticket: %s", res.body)
		res, _ = a.apiCall(staff, "POST", rating, `{"stars":5}`)
		assert.Equal(t, http.StatusForbidden, res.status, "only the owner rates: %s", res.body)
		for _, body := range []string{`{"stars":0}`, `{"stars":6}`, `{"stars":"x"}`, `{"stars":4.5}`, `{}`, `{"stars":3,"extra":1}`} {
			res, _ = a.apiCall(owner, "POST", rating, body)
			assert.True(t, res.status == http.StatusBadRequest || res.status == http.StatusUnprocessableEntity,
				"%s: got %d %s", body, res.status, res.body)
		}
		browser := a.browser()
		require.Equal(t, http.StatusSeeOther, browser.login("rr_owner", "correct-horse").status)
		for _, stars := range []string{"0", "6", "x"} {
			r := browser.post(fmt.Sprintf("/tickets/%d/rating", id), url.Values{"stars": {stars}})
			assert.Equal(t, http.StatusUnprocessableEntity, r.status, "stars %q", stars)
			assert.True(t, strings.Contains(r.body, "Choose from 1 to 5 stars."), "stars %q: the page says why", stars)
		}
		stranger := a.browser()
		require.Equal(t, http.StatusSeeOther, stranger.login("rr_other", "correct-horse").status)
		r := stranger.post(fmt.Sprintf("/tickets/%d/rating", id), url.Values{"stars": {"1"}})
		assert.Equal(t, http.StatusNotFound, r.status)

		res, doc = a.apiCall(owner, "GET", fmt.Sprintf("/api/v1/tickets/%d", id), "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Nil(t, doc["rating"], "no refusal stored a rating")
		assert.Equal(t, "closed", doc["status"])

		res, doc = a.apiCall(owner, "POST", rating, `{"stars":3}`)
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, float64(3), doc["rating"])
		res, doc = a.apiCall(owner, "POST", fmt.Sprintf("/api/v1/tickets/%d/comments", id), `{"text":"Снова не греет"}`)
		require.Equal(t, http.StatusCreated, res.status, "the owner's comment on a closed ticket is taken: %s", res.body)
		res, doc = a.apiCall(owner, "GET", fmt.Sprintf("/api/v1/tickets/%d", id), "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, "open", doc["status"], "and reopens it")
		assert.Nil(t, doc["rating"])
	})
}
