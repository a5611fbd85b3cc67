// Package webhook posts the request desk's domain events to an outside URL
// (CRM_WEBHOOK_URL), signed with HMAC-SHA256 (CRM_WEBHOOK_SECRET). It is an
// application.EventHandler: the outbox dispatcher gives it every event at
// least once, in order per stream, and retries what fails.
//
// The secret is never logged and never part of an error; errors name the
// receiver's host only, since webhook URLs often carry a token in their
// path or query.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"crm/application"
	"crm/domain"
)

// HandlerName is the handler's name in stored deliveries; it never changes.
const HandlerName = "webhook"

// UserAgent is the User-Agent of every webhook request.
const UserAgent = "crm-webhook"

// The headers sent with every request, besides Content-Type and User-Agent.
const (
	HeaderEvent     = "X-CRM-Event"     // the event kind, e.g. ticket.submitted
	HeaderDelivery  = "X-CRM-Delivery"  // the event id: the same for every attempt
	HeaderTimestamp = "X-CRM-Timestamp" // unix seconds of this attempt
	HeaderSignature = "X-CRM-Signature" // "sha256=" + hex HMAC of "<timestamp>.<body>"
)

// Limits of an attempt.
const (
	// DefaultTimeout bounds one request, connection to last byte.
	DefaultTimeout = 10 * time.Second
	// maxBodyRead is how much of a response is read for the error note.
	maxBodyRead = 4 << 10
	// maxNote is how much of that note is kept, in characters.
	maxNote = 300
	// maxRetryAfter caps a receiver's Retry-After.
	maxRetryAfter = time.Hour
)

// Config is the webhook part of the typed configuration.
type Config struct {
	URL    string // CRM_WEBHOOK_URL: an absolute http(s) URL; required
	Secret string // CRM_WEBHOOK_SECRET: the HMAC key; required
	// Timeout bounds one request (default DefaultTimeout).
	Timeout time.Duration
	// Clock gives the X-CRM-Timestamp (default application.SystemClock).
	Clock application.Clock
	// Transport makes the requests (default a clone of
	// http.DefaultTransport).
	Transport http.RoundTripper
}

// Handler posts events to the configured URL.
type Handler struct {
	url    string
	host   string // for errors: never the path or query, which may hold a token
	secret []byte
	clock  application.Clock
	client *http.Client
}

var _ application.EventHandler = (*Handler)(nil)

// New returns the handler for cfg; it does no I/O. It fails when the URL is
// not an absolute http(s) URL or the secret is empty.
func New(cfg Config) (*Handler, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("webhook: the URL must be an absolute http(s) URL")
	}
	if cfg.Secret == "" {
		return nil, errors.New("webhook: a secret is required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = application.SystemClock{}
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &Handler{
		url: cfg.URL, host: u.Host, secret: []byte(cfg.Secret), clock: cfg.Clock,
		client: &http.Client{
			Transport: cfg.Transport,
			Timeout:   cfg.Timeout,
			// A redirect is answered as a failure: following it would
			// send the signed event somewhere nobody configured.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

// Name returns HandlerName.
func (h *Handler) Name() string { return HandlerName }

// Kinds returns every event kind: none carries a password or a token.
func (h *Handler) Kinds() []string {
	return []string{
		domain.KindTicketSubmitted, domain.KindTicketStatusChanged, domain.KindTicketAssigned,
		domain.KindCommentAdded, domain.KindTelegramLinked, domain.KindUserRoleChanged,
		domain.KindUserActiveChanged, domain.KindAttachmentDeleted, domain.KindTicketRated,
		domain.KindTicketMerged,
	}
}

// Route orders the deliveries by the event's stream ("ticket:12",
// "user:5"), so that a receiver gets one ticket's events in the order they
// happened.
func (h *Handler) Route(e domain.StoredEvent) (key, skip string) {
	return e.Stream, ""
}

// Payload is the JSON body of a webhook request.
type Payload struct {
	ID         int64           `json:"id"`          // the event id, also in X-CRM-Delivery
	Kind       string          `json:"kind"`        // e.g. "ticket.status_changed"
	Stream     string          `json:"stream"`      // e.g. "ticket:12"
	OccurredAt time.Time       `json:"occurred_at"` // RFC 3339, UTC
	Data       json.RawMessage `json:"data"`        // the event's own JSON
}

// body returns the JSON body posted for e; it is the same at every attempt.
func body(e domain.StoredEvent) ([]byte, error) {
	data, err := domain.EncodeEvent(e.Event)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", e.Kind, err)
	}
	return json.Marshal(Payload{ID: e.ID, Kind: e.Kind, Stream: e.Stream, OccurredAt: e.At.UTC(), Data: data})
}

// Handle posts e. A 2xx answer is a success. Errors, for the dispatcher:
// wrapping application.ErrPermanent for a 4xx other than 408 and 429 (the
// receiver refuses the event; staff see the delivery failed); a
// *application.RetryAfterError for a 429 with Retry-After; any other error
// (network, timeout, 5xx, 408, a redirect) is retried with backoff.
func (h *Handler) Handle(ctx context.Context, e domain.StoredEvent) (application.Outcome, error) {
	payload, err := body(e)
	if err != nil {
		return application.Outcome{}, fmt.Errorf("%w: webhook: %w", application.ErrPermanent, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(payload))
	if err != nil {
		return application.Outcome{}, fmt.Errorf("%w: webhook: build request: %w", application.ErrPermanent, err)
	}
	ts := strconv.FormatInt(h.clock.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(HeaderEvent, e.Kind)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(e.ID, 10))
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, sign(h.secret, ts, payload))

	res, err := h.client.Do(req)
	if err != nil {
		return application.Outcome{}, fmt.Errorf("webhook: post to %s: %w", h.host, unwrapURLError(err))
	}
	defer res.Body.Close()
	snippet := readSnippet(res.Body)

	code := res.StatusCode
	switch {
	case code >= 200 && code < 300:
		return application.Outcome{Note: "webhook: " + res.Status}, nil
	case code >= 300 && code < 400:
		return application.Outcome{}, fmt.Errorf("webhook: %s: redirects are not followed (Location %q); set CRM_WEBHOOK_URL to the final URL",
			res.Status, clip(res.Header.Get("Location")))
	case code == http.StatusTooManyRequests:
		err := answerError(res.Status, snippet)
		if after, ok := retryAfter(res.Header.Get("Retry-After"), h.clock.Now()); ok {
			return application.Outcome{}, &application.RetryAfterError{After: after, Err: err}
		}
		return application.Outcome{}, err
	case code == http.StatusRequestTimeout:
		return application.Outcome{}, answerError(res.Status, snippet)
	case code >= 400 && code < 500:
		return application.Outcome{}, fmt.Errorf("%w: %w", application.ErrPermanent, answerError(res.Status, snippet))
	default:
		return application.Outcome{}, answerError(res.Status, snippet)
	}
}

// answerError words a refusal: the status and the start of the body.
func answerError(status, snippet string) error {
	if snippet == "" {
		return fmt.Errorf("webhook: %s", status)
	}
	return fmt.Errorf("webhook: %s: %s", status, snippet)
}

// readSnippet reads the start of a response body as one short line, and
// drains a little more so that the connection can be reused.
func readSnippet(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, maxBodyRead))
	_, _ = io.CopyN(io.Discard, r, 64<<10)
	return clip(strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "\uFFFD")), " "))
}

// clip cuts s to maxNote characters.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxNote {
		return s
	}
	return string([]rune(s)[:maxNote]) + "…"
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date,
// kept between a second and maxRetryAfter.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		d = time.Duration(min(n, int64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, time.Second), maxRetryAfter), true
}

// unwrapURLError drops the *url.Error around a transport error: its text
// holds the whole URL, which may carry a token.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
