package web

import (
	"log/slog"
	"net/http"
)

// healthz answers GET /healthz: the process is up.
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	plain(w, http.StatusOK, "ok")
}

// readyz answers GET /readyz: 200 when Options.Ready says the database is
// reachable and takes writes, else 503 (the cause is logged, not shown): a
// read-only or full SQLite file, a standby PostgreSQL, a lost connection.
func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	if h.ready != nil {
		if err := h.ready(r.Context()); err != nil {
			h.log.WarnContext(r.Context(), "not ready",
				slog.String("request_id", requestID(r.Context())), slog.Any("error", err))
			plain(w, http.StatusServiceUnavailable, "not ready")
			return
		}
	}
	plain(w, http.StatusOK, "ok")
}

func plain(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
