package web

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"
)

// problemTooManyRequests answers a login or sign-up from an address that
// has used up its attempts (Options.LoginAttemptsPerMinute).
var problemTooManyRequests = problem{http.StatusTooManyRequests, "problem.too_many_requests"}

// refuseAttempt answers a login or sign-up the guard refused: 429 with
// Retry-After in whole seconds (at least 1), and a line in the log with the
// reason and the client's address.
func (h *Handler) refuseAttempt(w http.ResponseWriter, r *http.Request, v *visitor, why refusal, addr string, retry time.Duration) {
	h.log.WarnContext(r.Context(), "login refused",
		slog.String("request_id", requestID(r.Context())), slog.String("path", r.URL.Path),
		slog.String("reason", string(why)), slog.String("client", addr), slog.Duration("retry_in", retry))
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(retry.Seconds())))))
	p := problemTooManyAttempts
	if why == refusedRate {
		p = problemTooManyRequests
	}
	h.showProblem(w, r, v, p)
}
