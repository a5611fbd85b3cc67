package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

type ctxKey int

const requestIDKey ctxKey = iota

// requestID returns the id observe gave the request, or "".
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// observe gives each request an id (X-Request-Id), logs one line when it
// ends (method, path, status, duration; never the query, form values,
// cookies or tokens) and turns a panic into a 500 page.
func (h *Handler) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				h.log.ErrorContext(r.Context(), "panic serving request",
					slog.String("request_id", id), slog.String("method", r.Method),
					slog.String("path", r.URL.Path), slog.Any("panic", p))
				if !rec.wrote {
					h.showProblem(rec, r, &visitor{Lang: h.language(r, nil)}, problemInternal)
				}
			}
			level := slog.LevelInfo
			if quietPath(r.URL.Path) && rec.status < 400 {
				level = slog.LevelDebug
			}
			h.metrics.observe(r.Method, r.Pattern, rec.code(), time.Since(start))
			// LogAttrs, after asking: Log would box every attribute on
			// every request, logged or not.
			if h.log.Enabled(r.Context(), level) {
				h.log.LogAttrs(r.Context(), level, "request",
					slog.String("request_id", id), slog.String("method", r.Method),
					slog.String("path", r.URL.Path), slog.Int("status", rec.code()),
					slog.Duration("duration", time.Since(start)))
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// quietPath reports whether requests to path are logged at debug level only
// when they succeed: probes, metrics scrapes and static files.
func quietPath(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/metrics" || strings.HasPrefix(path, "/static/")
}

// secureHeaders sets the headers every answer carries.
func (h *Handler) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		for _, f := range securityHeaders {
			hd[f.name] = f.value
		}
		next.ServeHTTP(w, r)
	})
}

// fixedHeader is a header field whose value is the same on every answer:
// set by assignment, it costs no allocation per request. The value slices
// are shared and never written to: http.Header's Set replaces a value
// slice, and Add appends to this one of capacity 1 by copying it.
type fixedHeader struct {
	name  string // in canonical form
	value []string
}

// securityHeaders are the headers secureHeaders sets.
var securityHeaders = []fixedHeader{
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"same-origin"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Content-Security-Policy", []string{"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; " +
		"img-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"}},
}

// limitBody caps the request body; reading past the cap fails with
// *http.MaxBytesError, answered with the 413 page. A request that carries
// files may hold every file allowed; one announcing more is refused before
// any of it is read.
func (h *Handler) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := h.maxBody
		if takesFiles(r) {
			limit = h.maxUploadBody()
		}
		if r.ContentLength > limit {
			h.showProblem(w, r, &visitor{Lang: h.language(r, nil)}, problemTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// dispatch serves the route that matches, or the 404 or 405 page.
func (h *Handler) dispatch(w http.ResponseWriter, r *http.Request) {
	if _, pattern := h.mux.Handler(r); pattern != "" {
		h.mux.ServeHTTP(w, r)
		return
	}
	// No route: the mux knows whether it is 404, 405 (with Allow) or a
	// redirect to a cleaned path. Let it answer into a capture, then show our
	// page instead of its plain text.
	c := &captureWriter{header: http.Header{}}
	h.mux.ServeHTTP(c, r)
	v, err := h.identify(w, r) // so the page speaks the visitor's language and shows their menu
	if err != nil {
		v = &visitor{Lang: h.language(r, nil)}
	}
	switch c.status {
	case http.StatusNotFound:
		h.fail(w, r, v, errNotFound)
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", c.header.Get("Allow"))
		h.fail(w, r, v, errMethod)
	default:
		for k, vs := range c.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(c.status)
		_, _ = w.Write(c.body)
	}
}

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if !s.wrote {
		s.status, s.wrote = http.StatusOK, true
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) code() int {
	if !s.wrote {
		return http.StatusOK
	}
	return s.status
}

// Unwrap lets http.ResponseController reach the real writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// captureWriter keeps an answer in memory.
type captureWriter struct {
	header http.Header
	status int
	body   []byte
}

func (c *captureWriter) Header() http.Header { return c.header }
func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}
func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body = append(c.body, b...)
	return len(b), nil
}
