package web

import (
	"errors"
	"log/slog"
	"net/http"

	"crm/adapters/i18n"
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
	{domain.ErrSessionNotFound, problem{http.StatusNotFound, "problem.session_not_found"}},
	{domain.ErrAttachmentNotFound, problem{http.StatusNotFound, "problem.attachment_not_found"}},
	{domain.ErrSecondFactorThrottled, problem{http.StatusTooManyRequests, "problem.too_many_codes"}},
	{domain.ErrTwoFactorRequired, problem{http.StatusConflict, "problem.two_factor_required"}},
	{domain.ErrTwoFactorNotFound, problem{http.StatusConflict, "problem.two_factor_off"}},
	{domain.ErrForbidden, problem{http.StatusForbidden, "problem.forbidden"}},
	{domain.ErrInvalidTransition, problem{http.StatusConflict, "problem.invalid_transition"}},
	{domain.ErrNotRated, problem{http.StatusConflict, "problem.not_rated"}},
	{domain.ErrLastAdmin, problem{http.StatusConflict, "problem.last_admin"}},
	{domain.ErrInvalidCredentials, problem{http.StatusUnauthorized, "problem.invalid_credentials"}},
	{domain.ErrAccountDisabled, problem{http.StatusForbidden, "problem.account_disabled"}},
	{domain.ErrTelegramDisabled, problem{http.StatusConflict, "problem.telegram_disabled"}},
	{domain.ErrDeliveryNotFound, problem{http.StatusNotFound, "problem.delivery_not_found"}},
	{domain.ErrAPITokenNotFound, problem{http.StatusNotFound, "problem.api_token_not_found"}},
	{domain.ErrResetLinkInvalid, problem{http.StatusNotFound, "problem.reset_link_invalid"}},
	{domain.ErrMergeIntoSelf, problem{http.StatusUnprocessableEntity, "merge.problem.self"}},
	{domain.ErrMergeAcrossOwners, problem{http.StatusConflict, "merge.problem.across_owners"}},
	{domain.ErrMergedAway, problem{http.StatusConflict, "merge.problem.merged_away"}},
	{domain.ErrMergeTargetNotFound, problem{http.StatusUnprocessableEntity, "merge.problem.target_not_found"}},
	{application.ErrNotTicketNumber, problem{http.StatusUnprocessableEntity, "merge.problem.not_number"}},
	{domain.ErrSavedReplyNotFound, problem{http.StatusNotFound, "replies.problem.not_found"}},
	{domain.ErrSavedReplyNameTaken, problem{http.StatusConflict, "replies.problem.name_taken"}},
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

// fail answers err with an error page (apiFail is its JSON twin).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, v *visitor, err error) {
	h.showProblem(w, r, v, h.answerFor(r, err))
}

// answerFor decides how the pages and the API answer err, and logs what
// an operator must see: an unexpected error once, with the request id (the
// answer is a plain 500 without internals), and a storage fault (503).
// While the database is not ready an unexpected error is most likely its
// consequence, so it is answered "come back soon" (503), not "something
// broke" (500).
func (h *Handler) answerFor(r *http.Request, err error) problem {
	p, ok := classify(err)
	if !ok && h.ready != nil && h.ready(r.Context()) != nil {
		p = problemUnavailable
	}
	if !ok || errors.Is(err, application.ErrStorageUnavailable) {
		h.log.ErrorContext(r.Context(), "request failed",
			slog.String("request_id", requestID(r.Context())),
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Any("error", err))
	}
	return p
}

// tableRefusal is how a form page answers a refusal it shows beside the form
// instead of on an error page: the status the error table gives err, and
// the catalogue's explanation. A validation error is the form's own to
// show (form.fail), with problemInvalid's status.
func tableRefusal(lang string, err error) (status int, alert string) {
	p, _ := classify(err)
	return p.Status, i18n.Message(lang, p.Key+".text")
}

// refuseCrossOrigin answers a form posted from another site.
func (h *Handler) refuseCrossOrigin(w http.ResponseWriter, r *http.Request) {
	h.showProblem(w, r, &visitor{Lang: h.language(r, nil)}, problemCrossSite)
}
