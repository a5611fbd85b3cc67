package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	webhookSecret = "wh-e2e-secret-4f1d"
	webhookWait   = 15 * time.Second
)

// webhookCall is one request the receiver got, and what it answered.
type webhookCall struct {
	header  http.Header
	body    []byte
	signed  bool // the signature verifies and the timestamp is fresh
	answer  int
	payload struct {
		ID         int64          `json:"id"`
		Kind       string         `json:"kind"`
		Stream     string         `json:"stream"`
		OccurredAt time.Time      `json:"occurred_at"`
		Data       map[string]any `json:"data"`
	}
}

// webhookReceiver is the outside system CRM_WEBHOOK_URL points at. It
// checks every request as a receiver should and answers what answer says.
type webhookReceiver struct {
	t     *testing.T
	srv   *httptest.Server
	calls chan webhookCall
}

func newWebhookReceiver(t *testing.T, answer func(c webhookCall) int) *webhookReceiver {
	t.Helper()
	r := &webhookReceiver{t: t, calls: make(chan webhookCall, 256)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var c webhookCall
		c.header = req.Header.Clone()
		c.body, _ = io.ReadAll(req.Body)
		c.signed = verifyWebhook(req.Header, c.body)
		_ = json.Unmarshal(c.body, &c.payload)
		c.answer = answer(c)
		w.WriteHeader(c.answer)
		if c.answer >= 300 {
			fmt.Fprintf(w, "receiver says %d", c.answer)
		}
		select {
		case r.calls <- c:
		case <-req.Context().Done():
		}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// verifyWebhook is what the README tells receivers to do.
func verifyWebhook(h http.Header, body []byte) bool {
	ts := h.Get("X-CRM-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return false
	}
	m := hmac.New(sha256.New, []byte(webhookSecret))
	m.Write([]byte(ts + "." + string(body)))
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	return hmac.Equal([]byte(want), []byte(h.Get("X-CRM-Signature")))
}

// next returns the next call about stream, passing over the others (the
// users' events), or fails the test after webhookWait.
func (r *webhookReceiver) next(stream string) webhookCall {
	r.t.Helper()
	timeout := time.After(webhookWait)
	for {
		select {
		case c := <-r.calls:
			if c.payload.Stream == stream {
				return c
			}
		case <-timeout:
			r.t.Fatalf("webhook: no call about %s within %v", stream, webhookWait)
		}
	}
}

// startWebhookApp starts the application posting its events to recv.
func startWebhookApp(t *testing.T, dbURL string, recv *webhookReceiver) *app {
	t.Helper()
	return startApp(t, dbURL, "CRM_WEBHOOK_URL", recv.srv.URL+"/hooks/crm", "CRM_WEBHOOK_SECRET", webhookSecret)
}

func TestWebhookPostsTicketEventsInOrderSigned(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		recv := newWebhookReceiver(t, func(webhookCall) int { return http.StatusNoContent })
		a := startWebhookApp(t, dbURL, recv)
		owner := a.browser()
		owner.mustSignUp("wh_owner", "correct-horse")
		id := owner.submit("Пропал звук", "Совсем пропал", "repair")
		staff := a.staffBrowser("wh_staff", "staff")
		r := staff.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"in_progress"}, "comment": {"Смотрим"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)

		stream := fmt.Sprintf("ticket:%d", id)
		submitted, changed := recv.next(stream), recv.next(stream)
		for _, c := range []webhookCall{submitted, changed} {
			assert.True(t, c.signed, "the signature verifies")
			assert.Equal(t, "application/json", c.header.Get("Content-Type"))
			assert.Equal(t, "crm-webhook", c.header.Get("User-Agent"))
			assert.Equal(t, c.payload.Kind, c.header.Get("X-CRM-Event"))
			assert.Equal(t, strconv.FormatInt(c.payload.ID, 10), c.header.Get("X-CRM-Delivery"))
			assert.WithinDuration(t, time.Now(), c.payload.OccurredAt, time.Minute)
			assert.EqualValues(t, id, c.payload.Data["ticket_id"])
		}
		assert.Equal(t, "ticket.submitted", submitted.payload.Kind)
		assert.Equal(t, "Пропал звук", submitted.payload.Data["title"])
		assert.Equal(t, "wh_owner", submitted.payload.Data["owner_name"])
		assert.Equal(t, "repair", submitted.payload.Data["type"])
		assert.Equal(t, "ticket.status_changed", changed.payload.Kind, "in the order they happened")
		assert.Equal(t, "open", changed.payload.Data["from"])
		assert.Equal(t, "in_progress", changed.payload.Data["to"])
		assert.Equal(t, "wh_staff", changed.payload.Data["by_name"])
		assert.Equal(t, "Смотрим", changed.payload.Data["comment"])
		assert.Less(t, submitted.payload.ID, changed.payload.ID)
		assert.NotContains(t, a.logs.String(), webhookSecret)
	})
}

func TestWebhookRetriesAFailingReceiverAndDeliversOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		var submittedCalls atomic.Int64
		recv := newWebhookReceiver(t, func(c webhookCall) int {
			if c.payload.Kind == "ticket.submitted" && submittedCalls.Add(1) <= 2 {
				return http.StatusInternalServerError
			}
			return http.StatusOK
		})
		a := startWebhookApp(t, dbURL, recv)
		owner := a.browser()
		owner.mustSignUp("wh_retry_owner", "correct-horse")
		start := time.Now()
		id := owner.submit("Не печатает", "x", "service")
		stream := fmt.Sprintf("ticket:%d", id)

		attempts := []webhookCall{recv.next(stream), recv.next(stream), recv.next(stream)}
		t.Logf("delivered after %d attempts in %v", len(attempts), time.Since(start).Round(10*time.Millisecond))
		for i, c := range attempts {
			assert.Equal(t, "ticket.submitted", c.payload.Kind, "attempt %d", i+1)
			assert.True(t, c.signed, "attempt %d is signed", i+1)
			assert.Equal(t, attempts[0].header.Get("X-CRM-Delivery"), c.header.Get("X-CRM-Delivery"), "one delivery id for every attempt")
			assert.Equal(t, attempts[0].body, c.body, "one body for every attempt")
		}
		assert.Equal(t, []int{500, 500, 200}, []int{attempts[0].answer, attempts[1].answer, attempts[2].answer})

		// The next event of the ticket waits for the first to succeed; it
		// comes next, so the first was not delivered again.
		staff := a.staffBrowser("wh_retry_staff", "staff")
		r := staff.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"closed"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		assert.Equal(t, "ticket.status_changed", recv.next(stream).payload.Kind)
		assert.EqualValues(t, 3, submittedCalls.Load(), "accepted once, never sent again")
		assert.NotContains(t, a.logs.String(), webhookSecret, "failures are logged without the secret")
	})
}

func TestWebhookRefusedByTheReceiverShowsAsFailedToStaff(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		recv := newWebhookReceiver(t, func(c webhookCall) int {
			if c.payload.Kind == "ticket.submitted" {
				return http.StatusGone
			}
			return http.StatusNoContent
		})
		a := startWebhookApp(t, dbURL, recv)
		owner := a.browser()
		owner.mustSignUp("wh_gone_owner", "correct-horse")
		id := owner.submit("Гудит", "x", "repair")
		stream := fmt.Sprintf("ticket:%d", id)
		assert.Equal(t, http.StatusGone, recv.next(stream).answer)

		// Given up at once: the ticket's next event is not held back.
		staff := a.staffBrowser("wh_gone_staff", "staff")
		r := staff.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"in_progress"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		assert.Equal(t, "ticket.status_changed", recv.next(stream).payload.Kind)

		page := staff.get("/admin/deliveries?status=failed")
		require.Equal(t, http.StatusOK, page.status)
		assert.Contains(t, page.body, "webhook: 410 Gone: receiver says 410", "staff see why")
	})
}

func TestWebhookSendsTheEventsStoredBeforeItWasSwitchedOn(t *testing.T) {
	dbURL := "sqlite:" + t.TempDir() + "/crm.db"
	a := startApp(t, dbURL)
	owner := a.browser()
	owner.mustSignUp("wh_early_owner", "correct-horse")
	id := owner.submit("Старая заявка", "x", "consultation")
	a.stop()

	recv := newWebhookReceiver(t, func(webhookCall) int { return http.StatusNoContent })
	startWebhookApp(t, dbURL, recv)
	c := recv.next(fmt.Sprintf("ticket:%d", id))
	assert.Equal(t, "ticket.submitted", c.payload.Kind, "the history is sent, oldest first")
	assert.True(t, c.signed)
}
