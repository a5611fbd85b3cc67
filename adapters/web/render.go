package web

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"crm/domain"
)

// view is the data of a page: a struct embedding layout.
type view interface{ base() *layout }

// layout is what every page shows around its content.
type layout struct {
	Lang      string
	User      *domain.User
	Flash     string // a message after an action, "Ticket #12 submitted"
	Alert     string // a message about this answer, "This ticket is closed"
	Here      string // where the language form comes back to
	Section   string // the nav entry to mark current
	RequestID string
	Live      liveMark // how the page updates itself (stream_events.go); zero: it does not
}

func (l *layout) base() *layout { return l }

// writtenPage is a page whose title and content are written in Go rather
// than by a template: it has none of the name it is rendered under.
type writtenPage interface {
	view
	writeTitle(b *bytes.Buffer) error
	writeContent(b *bytes.Buffer) error
}

// render answers with the page name and status: its templates, or the page
// itself when it is a writtenPage without any. It fills the layout, takes
// the flash message, and writes nothing if the page fails.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, v *visitor, status int, name string, data view) error {
	t, lt := h.views.pages[v.Lang][name], h.views.layouts[v.Lang]
	wp, written := data.(writtenPage)
	if lt == nil || t == nil && !written {
		return fmt.Errorf("render: no page %q in %q", name, v.Lang)
	}
	b := data.base()
	b.Lang, b.User, b.RequestID = v.Lang, v.User, requestID(r.Context())
	if b.Here == "" {
		b.Here = "/"
		if r.Method == http.MethodGet {
			b.Here = r.URL.RequestURI()
		}
	}
	flash, hadFlash := h.takeFlash(r, v.Lang)
	if b.Flash == "" {
		b.Flash = flash
	}
	buf := getBuffer()
	defer putBuffer(buf)
	title, content := func() error { return t.ExecuteTemplate(buf, "title", data) },
		func() error { return t.ExecuteTemplate(buf, "content", data) }
	if t == nil {
		title, content = func() error { return wp.writeTitle(buf) }, func() error { return wp.writeContent(buf) }
	}
	if err := lt.writeLayout(buf, b, title, content); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if hadFlash {
		h.clearCookie(w, flashCookie)
	}
	hd := w.Header()
	for _, f := range pageHeaders {
		hd[f.name] = f.value
	}
	hd.Set("Content-Language", v.Lang)
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	hd.Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	if h.onRender != nil {
		h.onRender(v.Lang, name)
	}
	return nil
}

// pageHeaders are the fixed headers of every page (see fixedHeader).
var pageHeaders = []fixedHeader{
	{"Content-Type", []string{"text/html; charset=utf-8"}},
	{"Cache-Control", []string{"no-store"}},
}

// maxPooledBuffer is the largest page buffer kept for reuse: a rare huge
// page does not keep its memory after it is sent.
const maxPooledBuffer = 256 << 10

// buffers are page buffers for reuse, so that a page is not grown from
// nothing on every request.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

// putBuffer returns b to the pool unless it grew beyond maxPooledBuffer.
func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	buffers.Put(b)
}

// problemPage is the data of the error page.
type problemPage struct {
	layout
	Status int
	Key    string
}

// showProblem renders the error page for p. If even that fails, it writes
// plain text.
func (h *Handler) showProblem(w http.ResponseWriter, r *http.Request, v *visitor, p problem) {
	setRetryAfter(w, p)
	if isAPIRequest(r) { // no route, a too-large body, a panic: the API answers problem+json
		h.writeProblem(w, r, p, "", nil)
		return
	}
	if v == nil || v.Lang == "" {
		v = &visitor{Lang: h.language(r, nil)}
	}
	err := h.render(w, r, v, p.Status, "problem", &problemPage{Status: p.Status, Key: p.Key})
	if err != nil {
		h.log.ErrorContext(r.Context(), "render error page",
			slog.String("request_id", requestID(r.Context())), slog.Any("error", err))
		http.Error(w, http.StatusText(p.Status), p.Status)
	}
}
