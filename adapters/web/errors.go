package web

import (
	"errors"
	"log/slog"
	"net/http"

	"crm/application"
	"crm/domain"
)

// errNotFound answers a path no route serves.
var errNotFound = errors.New("no such page")

// errMethod answers a path served for other methods only.
var errMethod = errors.New("method not allowed")

// errBadRequest answers a request that cannot be read, like a form body
// that is not valid URL encoding.
var errBadRequest = errors.New("bad request")

// problem is how an error is answered: its status and the message keys of
// the catalogue that explain it ("<Key>.title" and "<Key>.text" on an error
// page, or "<Key>.text" beside a form).
type problem struct {
	Status int
	Key    string
}

// errorTable maps the errors the use cases return to answers. Anything not
// here (and not a validation error or a too-large body) is a 500.
var errorTable = []struct {
	err error
	problem
}{
	{errNotFound, problem{http.StatusNotFound, "problem.not_found"}},
	{errMethod, problem{http.StatusMethodNotAllowed, "problem.method"}},
	{errBadRequest, problem{http.StatusBadRequest, "problem.bad_request"}},
	{domain.ErrTicketNotFound, problem{http.StatusNotFound, "problem.ticket_not_found"}},
	{domain.ErrUserNotFound, problem{http.StatusNotFound, "problem.user_not_found"}},
	{domain.ErrSecondFactorThrottled, problem{http.StatusTooManyRequests, "problem.too_many_codes"}},
	{domain.ErrTwoFactorRequired, problem{http.StatusConflict, "problem.two_factor_required"}},
	{domain.ErrTwoFactorNotFound, problem{http.StatusConflict, "problem.two_factor_off"}},
	{domain.ErrForbidden, problem{http.StatusForbidden, "problem.forbidden"}},
	{domain.ErrInvalidTransition, problem{http.StatusConflict, "problem.invalid_transition"}},
	{domain.ErrTicketClosed, problem{http.StatusConflict, "problem.ticket_closed"}},
	{domain.ErrLastAdmin, problem{http.StatusConflict, "problem.last_admin"}},
	{domain.ErrInvalidCredentials, problem{http.StatusUnauthorized, "problem.invalid_credentials"}},
	{domain.ErrAccountDisabled, problem{http.StatusForbidden, "problem.account_disabled"}},
	{domain.ErrTelegramDisabled, problem{http.StatusConflict, "problem.telegram_disabled"}},
	{domain.ErrDeliveryNotFound, problem{http.StatusNotFound, "problem.delivery_not_found"}},
	{application.ErrAPITokenNotFound, problem{http.StatusNotFound, "problem.api_token_not_found"}},
	{domain.ErrResetLinkInvalid, problem{http.StatusNotFound, "problem.reset_link_invalid"}},
	{application.ErrStorageUnavailable, problemUnavailable},
	{application.ErrBusy, problemBusy},
}

// Problems that are not domain errors.
var (
	problemInvalid   = problem{http.StatusUnprocessableEntity, "problem.invalid"}
	problemTooLarge  = problem{http.StatusRequestEntityTooLarge, "problem.too_large"}
	problemCrossSite = problem{http.StatusForbidden, "problem.cross_site"}
	problemInternal  = problem{http.StatusInternalServerError, "problem.internal"}
	// problemTooManyAttempts answers a login after too many wrong passwords
	// (see loginGuard).
	problemTooManyAttempts = problem{http.StatusTooManyRequests, "problem.too_many_attempts"}
	// problemUnavailable answers application.ErrStorageUnavailable (the
	// database is out of reach, read-only, full or busy), and an
	// unexpected error while the database is not ready.
	problemUnavailable = problem{http.StatusServiceUnavailable, "problem.unavailable"}
)

// allProblems lists every answer above, so that construction can check
// that the catalogue explains each one.
func allProblems() []problem {
	ps := []problem{problemInvalid, problemTooLarge, problemCrossSite, problemInternal, problemTooManyAttempts, problemTooManyRequests, problemUnavailable}
	for _, e := range errorTable {
		ps = append(ps, e.problem)
	}
	return ps
}

// classify finds how to answer err; ok is false for an unexpected error.
func classify(err error) (p problem, ok bool) {
	for _, e := range errorTable {
		if errors.Is(err, e.err) {
			return e.problem, true
		}
	}
	if _, isValidation := domain.AsValidation(err); isValidation {
		return problemInvalid, true
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return problemTooLarge, true
	}
	return problemInternal, false
}

// fail answers err with an error page. An unexpected error is logged once,
// with the request id, and shown as a plain 500 page without internals; a
// storage fault is logged too, and shown as the friendly 503 page.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, v *visitor, err error) {
	p, ok := classify(err)
	if !ok && h.ready != nil && h.ready(r.Context()) != nil {
		// The database is out of reach: say "come back soon" (503) rather
		// than "something broke" (500). Logged all the same.
		p = problemUnavailable
	}
	if !ok || errors.Is(err, application.ErrStorageUnavailable) {
		h.log.ErrorContext(r.Context(), "request failed",
			slog.String("request_id", requestID(r.Context())),
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Any("error", err))
	}
	h.showProblem(w, r, v, p)
}

// refuseCrossOrigin answers a form posted from another site.
func (h *Handler) refuseCrossOrigin(w http.ResponseWriter, r *http.Request) {
	h.showProblem(w, r, &visitor{Lang: h.language(r, nil)}, problemCrossSite)
}
