package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

const secret = "wh-secret-value"

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func statusChanged() domain.StoredEvent {
	return domain.StoredEvent{
		ID: 42, Kind: domain.KindTicketStatusChanged, Stream: "ticket:12",
		At: time.Date(2026, 3, 1, 14, 59, 58, 0, time.FixedZone("MSK", 3*3600)),
		Event: domain.TicketStatusChanged{
			TicketID: 12, OwnerID: 5, Title: "Пропал звук", From: "open", To: "in_progress",
			ByID: 7, ByName: "staff", Comment: "Смотрим", At: now,
		},
	}
}

// received is a request as the receiver saw it.
type received struct {
	method string
	header http.Header
	body   []byte
}

// receiver is a webhook endpoint that records requests and answers with
// answer.
func receiver(t *testing.T, answer http.HandlerFunc) (*httptest.Server, func() []received) {
	t.Helper()
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, received{method: r.Method, header: r.Header.Clone(), body: b})
		mu.Unlock()
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []received {
		mu.Lock()
		defer mu.Unlock()
		return append([]received(nil), got...)
	}
}

func newHandler(t *testing.T, url string, timeout time.Duration) *Handler {
	t.Helper()
	h, err := New(Config{URL: url, Secret: secret, Clock: fixedClock(now), Timeout: timeout})
	require.NoError(t, err)
	return h
}

// verify checks a signature the way a receiver would.
func verify(header http.Header, body []byte) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(header.Get("X-CRM-Timestamp") + "." + string(body)))
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	return hmac.Equal([]byte(want), []byte(header.Get("X-CRM-Signature")))
}

func TestHandlePostsTheSignedEvent(t *testing.T) {
	srv, got := receiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := newHandler(t, srv.URL+"/hooks/crm?team=a", 0)

	out, err := h.Handle(context.Background(), statusChanged())
	require.NoError(t, err)
	assert.Equal(t, "webhook: 204 No Content", out.Note)
	assert.False(t, out.Sent, "a webhook holds no rate-limited key")

	require.Len(t, got(), 1)
	r := got()[0]
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, "crm-webhook", r.header.Get("User-Agent"))
	assert.Equal(t, "ticket.status_changed", r.header.Get("X-CRM-Event"))
	assert.Equal(t, "42", r.header.Get("X-CRM-Delivery"))
	assert.Equal(t, "1772366400", r.header.Get("X-CRM-Timestamp"))
	assert.True(t, verify(r.header, r.body), "the signature verifies")
	assert.NotContains(t, string(r.body), secret)

	var p map[string]any
	require.NoError(t, json.Unmarshal(r.body, &p))
	assert.EqualValues(t, 42, p["id"])
	assert.Equal(t, "ticket.status_changed", p["kind"])
	assert.Equal(t, "ticket:12", p["stream"])
	assert.Equal(t, "2026-03-01T11:59:58Z", p["occurred_at"], "RFC 3339 in UTC")
	assert.Equal(t, map[string]any{
		"ticket_id": 12.0, "owner_id": 5.0, "title": "Пропал звук", "from": "open", "to": "in_progress",
		"by_id": 7.0, "by_name": "staff", "comment": "Смотрим", "at": "2026-03-01T12:00:00Z",
	}, p["data"])
}

func TestHandleSignsEveryAttemptWithItsOwnTimestamp(t *testing.T) {
	srv, got := receiver(t, func(w http.ResponseWriter, _ *http.Request) {})
	h := newHandler(t, srv.URL, 0)
	e := statusChanged()
	_, err := h.Handle(context.Background(), e)
	require.NoError(t, err)
	h.clock = fixedClock(now.Add(time.Minute))
	_, err = h.Handle(context.Background(), e)
	require.NoError(t, err)

	require.Len(t, got(), 2)
	a, b := got()[0], got()[1]
	assert.Equal(t, a.body, b.body, "the body is the same at every attempt")
	assert.Equal(t, a.header.Get("X-CRM-Delivery"), b.header.Get("X-CRM-Delivery"), "so is the delivery id")
	assert.NotEqual(t, a.header.Get("X-CRM-Timestamp"), b.header.Get("X-CRM-Timestamp"))
	assert.True(t, verify(a.header, a.body))
	assert.True(t, verify(b.header, b.body))
	b.header.Set("X-CRM-Timestamp", a.header.Get("X-CRM-Timestamp"))
	assert.False(t, verify(b.header, b.body), "the timestamp is signed")
	assert.False(t, verify(a.header, append(a.body, ' ')), "the body is signed")
}

func TestHandleClassifiesTheAnswer(t *testing.T) {
	type verdict int
	const (
		done verdict = iota
		permanent
		retried
		waitAsTold
	)
	cases := map[string]struct {
		status int
		header map[string]string
		body   string
		want   verdict
		after  time.Duration
	}{
		"200":                       {status: 200, want: done},
		"202":                       {status: 202, want: done},
		"400 is refused for good":   {status: 400, body: `{"error":"bad event"}`, want: permanent},
		"401 is refused for good":   {status: 401, want: permanent},
		"404 is refused for good":   {status: 404, want: permanent},
		"410 Gone":                  {status: 410, want: permanent},
		"422 is refused for good":   {status: 422, want: permanent},
		"408 is retried":            {status: 408, want: retried},
		"429 without Retry-After":   {status: 429, want: retried},
		"429 with seconds":          {status: 429, header: map[string]string{"Retry-After": "7"}, want: waitAsTold, after: 7 * time.Second},
		"429 with a date":           {status: 429, header: map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}, want: waitAsTold, after: 90 * time.Second},
		"429 asking for a day":      {status: 429, header: map[string]string{"Retry-After": "86400"}, want: waitAsTold, after: time.Hour},
		"429 with a past date":      {status: 429, header: map[string]string{"Retry-After": now.Add(-time.Hour).Format(http.TimeFormat)}, want: waitAsTold, after: time.Second},
		"429 with nonsense":         {status: 429, header: map[string]string{"Retry-After": "soon"}, want: retried},
		"500":                       {status: 500, body: "boom", want: retried},
		"502":                       {status: 502, want: retried},
		"503 even with Retry-After": {status: 503, header: map[string]string{"Retry-After": "7"}, want: retried},
		"304 is not a success":      {status: 304, want: retried},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			srv, got := receiver(t, func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range c.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(c.status)
				_, _ = io.WriteString(w, c.body)
			})
			h := newHandler(t, srv.URL, 0)
			_, err := h.Handle(context.Background(), statusChanged())
			assert.Len(t, got(), 1)
			var ra *application.RetryAfterError
			switch c.want {
			case done:
				require.NoError(t, err)
				return
			case permanent:
				require.Error(t, err)
				assert.ErrorIs(t, err, application.ErrPermanent)
			case retried:
				require.Error(t, err)
				assert.NotErrorIs(t, err, application.ErrPermanent)
				assert.False(t, errors.As(err, &ra), "backoff, not a told wait")
			case waitAsTold:
				require.ErrorAs(t, err, &ra)
				assert.Equal(t, c.after, ra.After)
				assert.NotErrorIs(t, err, application.ErrPermanent)
			}
			assert.Contains(t, err.Error(), http.StatusText(c.status), "the note says what the receiver answered")
			if c.body != "" {
				assert.Contains(t, err.Error(), c.body, "and what it said")
			}
		})
	}
}

func TestHandleDoesNotFollowRedirects(t *testing.T) {
	var followed atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { followed.Add(1) }))
	t.Cleanup(target.Close)
	for _, status := range []int{301, 302, 307, 308} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv, _ := receiver(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target.URL+"/elsewhere", status)
			})
			h := newHandler(t, srv.URL, 0)
			_, err := h.Handle(context.Background(), statusChanged())
			require.Error(t, err, "a redirect is a failure")
			assert.NotErrorIs(t, err, application.ErrPermanent, "retried: fixing CRM_WEBHOOK_URL delivers the backlog")
			assert.Contains(t, err.Error(), "redirects are not followed")
			assert.Contains(t, err.Error(), "/elsewhere")
		})
	}
	assert.Zero(t, followed.Load(), "the signed event never went where nobody configured")
}

func TestHandleGivesUpOnASlowReceiver(t *testing.T) {
	release := make(chan struct{})
	srv, _ := receiver(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	h := newHandler(t, srv.URL+"/hook/SECRET-PATH-TOKEN", 100*time.Millisecond)

	start := time.Now()
	_, err := h.Handle(context.Background(), statusChanged())
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.NotErrorIs(t, err, application.ErrPermanent, "a timeout is retried")
	assert.Contains(t, err.Error(), strings.TrimPrefix(srv.URL, "http://"), "the error names the host")
	assert.NotContains(t, err.Error(), "SECRET-PATH-TOKEN", "but not the path, which may hold a token")
}

func TestHandleRetriesWhenTheReceiverIsDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/hook?token=SECRET-QUERY-TOKEN"
	srv.Close()
	h := newHandler(t, url, 0)
	_, err := h.Handle(context.Background(), statusChanged())
	require.Error(t, err)
	assert.NotErrorIs(t, err, application.ErrPermanent)
	assert.NotContains(t, err.Error(), "SECRET-QUERY-TOKEN")
}

func TestHandleKeepsTheErrorNoteShort(t *testing.T) {
	srv, _ := receiver(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<html>\n  <body>"+strings.Repeat("ошибка ", 100_000)+"</body></html>")
	})
	h := newHandler(t, srv.URL, 0)
	_, err := h.Handle(context.Background(), statusChanged())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "500 Internal Server Error: <html> <body>ошибка ошибка")
	assert.Less(t, len([]rune(err.Error())), 400)
	assert.NotContains(t, err.Error(), "\n")
}

func TestRouteOrdersByStream(t *testing.T) {
	h := newHandler(t, "https://example.com/hook", 0)
	key, skip := h.Route(statusChanged())
	assert.Equal(t, "ticket:12", key)
	assert.Empty(t, skip)
	key, skip = h.Route(domain.StoredEvent{ID: 3, Kind: domain.KindUserRoleChanged, Stream: "user:5",
		Event: domain.UserRoleChanged{UserID: 5}})
	assert.Equal(t, "user:5", key)
	assert.Empty(t, skip)
	assert.Equal(t, "webhook", h.Name())
	assert.Contains(t, h.Kinds(), domain.KindTicketSubmitted)
	assert.Contains(t, h.Kinds(), domain.KindTicketStatusChanged)
}

func TestNewRefusesABadConfig(t *testing.T) {
	cases := map[string]Config{
		"no URL":         {Secret: "s"},
		"relative URL":   {URL: "/hooks", Secret: "s"},
		"not http":       {URL: "ftp://example.com/hook", Secret: "s"},
		"no host":        {URL: "https:///hook", Secret: "s"},
		"no secret":      {URL: "https://example.com/hook"},
		"unparsable URL": {URL: "https://exa mple.com/%zz", Secret: "s"},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := New(cfg)
			require.Error(t, err)
		})
	}
}
