package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"crm/adapters/i18n"
	"crm/application"
)

// Live stream timing; Options may shorten them for tests.
const (
	// DefaultLiveHeartbeat is how often an idle stream sends a comment, so
	// that proxies keep it open, and checks who else views its ticket.
	DefaultLiveHeartbeat = 5 * time.Second
	// liveLifetime ends a stream after a while: the browser reconnects at
	// once with Last-Event-ID, and the reconnection checks the session
	// again, so a logout or a lost role stops the stream within it.
	liveLifetime = 2 * time.Minute
)

// streamEvents answers GET /events: Server-Sent Events about the tickets
// the visitor may see (see application.LiveEventFor), each with the
// stored event's id, its kind and {"kind", "ticket_id", "own"} as data. A
// reconnecting browser's Last-Event-ID (or ?after=<id>, the event the page
// was rendered at) resumes right after that event. With ?ticket=<id>,
// staff are recorded as viewing that ticket while the stream lasts and
// hear "presence" events naming the other staff who view it.
func (h *Handler) streamEvents(w http.ResponseWriter, r *http.Request, v *visitor) error {
	if h.live == nil {
		return errNotFound
	}
	after := parseNonNegative(r.Header.Get("Last-Event-ID"))
	if after == 0 {
		after = queryInt64(r, "after")
	}
	ticketID := queryInt64(r, "ticket")
	rc := http.NewResponseController(w)
	// The server's read timeout would end the stream: clear it (a client
	// that leaves still ends it, as the server watches the connection).
	_ = rc.SetReadDeadline(time.Time{})
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	w.WriteHeader(http.StatusOK)
	stream := h.live.Subscribe(v.User, after)
	s := &sse{w: w, rc: rc}
	s.printf("retry: 2000\n\n")

	var seen *presenceWatch
	if ticketID > 0 && v.User.IsStaff() && h.presence != nil {
		seen = &presenceWatch{h: h, v: v, ticketID: ticketID, key: newViewerKey()}
		defer seen.leave()
		seen.check(r.Context(), s, true)
	}
	if err := s.flush(); err != nil {
		return nil
	}
	end := time.Now().Add(liveLifetime)
	for time.Now().Before(end) {
		_ = rc.SetWriteDeadline(time.Now().Add(h.liveHeartbeat + 10*time.Second))
		ctx, cancel := context.WithTimeout(r.Context(), h.liveHeartbeat)
		events, reload, err := stream.Next(ctx)
		cancel()
		switch {
		case r.Context().Err() != nil || errors.Is(err, application.ErrLiveClosed):
			return nil
		case errors.Is(err, context.DeadlineExceeded):
			s.printf(": keep-alive\n\n")
		case err != nil:
			h.log.WarnContext(r.Context(), "live stream: read events", "err", err, "request_id", requestID(r.Context()))
			return nil // the browser reconnects with Last-Event-ID
		case reload:
			s.printf("id: %d\nevent: reload\ndata: {}\n\n", stream.Cursor())
		}
		for _, e := range events {
			data, _ := json.Marshal(e)
			s.printf("id: %d\nevent: %s\ndata: %s\n\n", e.ID, sseField(e.Kind), data)
		}
		if seen != nil {
			seen.check(r.Context(), s, false)
		}
		if err := s.flush(); err != nil {
			return nil // the client left
		}
	}
	return nil
}

// sse writes one stream, remembering the first write error.
type sse struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	err error
}

func (s *sse) printf(format string, args ...any) {
	if s.err == nil {
		_, s.err = fmt.Fprintf(s.w, format, args...)
	}
}

func (s *sse) flush() error {
	if s.err == nil {
		s.err = s.rc.Flush()
	}
	return s.err
}

// sseField keeps a value on one line of the stream.
func sseField(s string) string { return strings.NewReplacer("\n", " ", "\r", " ").Replace(s) }

// presenceWatch keeps one staff member recorded on a ticket while their
// stream lasts, and tells them who else is there when that changes.
type presenceWatch struct {
	h        *Handler
	v        *visitor
	ticketID int64
	key      string
	others   []string
	touched  time.Time
}

// check refreshes the record when due and sends a presence event when the
// others changed (or first is set). A failing store only loses presence.
func (p *presenceWatch) check(ctx context.Context, s *sse, first bool) {
	if time.Since(p.touched) >= application.PresenceRefresh {
		if err := p.h.presence.Enter(ctx, p.v.User, p.ticketID, p.key); err != nil {
			p.h.log.WarnContext(ctx, "live stream: record presence", "err", err)
		}
		p.touched = time.Now()
	}
	others, err := p.h.presence.Others(ctx, p.v.User, p.ticketID)
	if err != nil {
		p.h.log.WarnContext(ctx, "live stream: read presence", "err", err)
		return
	}
	if !first && slices.Equal(others, p.others) {
		return
	}
	p.others = others
	data, _ := json.Marshal(struct {
		TicketID int64    `json:"ticket_id"`
		Viewers  []string `json:"viewers"`
		Text     string   `json:"text"`
	}{p.ticketID, append([]string{}, others...), alsoViewing(p.v.Lang, others)})
	s.printf("event: presence\ndata: %s\n\n", data)
}

// leave forgets the record, even though the request's context has ended.
func (p *presenceWatch) leave() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.h.presence.Leave(ctx, p.key); err != nil {
		p.h.log.Warn("live stream: forget presence", "err", err)
	}
}

func newViewerKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// liveMark is what a live page tells live.js (see layout_html.go): which
// page it is, the ticket it shows, and the event it is up to date with.
type liveMark struct {
	Kind     string // "queue", "mine" or "ticket"; "" for a page that does not update itself
	TicketID int64
	After    int64
	Staff    bool // the staff ticket page: also records presence
}

// liveMark returns the mark of a page about to be read; take it before
// reading, so that a change made meanwhile still reaches the page.
func (h *Handler) liveMark(kind string, ticketID int64, staff bool) liveMark {
	if h.live == nil {
		return liveMark{}
	}
	return liveMark{Kind: kind, TicketID: ticketID, After: h.live.LastID(), Staff: staff}
}

// StreamURL is the address live.js opens.
func (m liveMark) StreamURL() string {
	u := "/events?after=" + strconv.FormatInt(m.After, 10)
	if m.Staff && m.TicketID > 0 {
		u += "&ticket=" + strconv.FormatInt(m.TicketID, 10)
	}
	return u
}

// alsoViewing words who else views a ticket, "" for nobody.
func alsoViewing(lang string, others []string) string {
	if len(others) == 0 {
		return ""
	}
	return i18n.Message(lang, "live.also_viewing", "names", strings.Join(others, ", "))
}
