package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"crm/adapters/upload"
	"crm/domain"
)

// apiProblem is an error answer of the JSON API: an RFC 9457 problem
// details document, with the request id and, for invalid input, the
// fields at fault.
type apiProblem struct {
	Type      string          `json:"type"`
	Title     string          `json:"title"`
	Status    int             `json:"status"`
	Detail    string          `json:"detail,omitempty"`
	RequestID string          `json:"request_id,omitempty"`
	Errors    []apiFieldError `json:"errors,omitempty"`
}

// apiFieldError names a field of the input (a body field or a query
// parameter) and what is wrong with it, as a stable code: "required",
// "too_long", "invalid", "invalid_type", "unknown", ...
type apiFieldError struct {
	Field string `json:"field"`
	Code  string `json:"code"`
}

// apiProblemTypePrefix starts the type URI of every problem:
// urn:crm:problem:ticket_not_found.
const apiProblemTypePrefix = "urn:crm:problem:"

// Problems only the API has.
var (
	problemUnauthorized         = problem{http.StatusUnauthorized, "problem.unauthorized"}
	problemUnsupportedMediaType = problem{http.StatusUnsupportedMediaType, "problem.unsupported_media_type"}
)

// apiProblemText is the English title and detail of a problem for
// programs. The pages' words (the i18n catalogue) speak to people in a
// browser ("go back and ..."), so the API keeps its own.
type apiProblemText struct{ title, detail string }

// apiProblemTexts covers every problem of errors.go and the API's own;
// a test checks that none is missing.
var apiProblemTexts = map[string]apiProblemText{
	"problem.not_found":              {"Not found", "There is no endpoint at this path."},
	"problem.method":                 {"Method not allowed", "This endpoint does not take that method; the Allow header lists those it takes."},
	"problem.bad_request":            {"Bad request", "The request could not be read."},
	"problem.ticket_not_found":       {"Ticket not found", "There is no such ticket, or it is not yours."},
	"problem.user_not_found":         {"User not found", "There is no such user."},
	"problem.session_not_found":      {"Session not found", "The account has no such session."},
	"problem.attachment_not_found":   {"File not found", "There is no such file, or it is not yours to see."},
	"problem.forbidden":              {"Forbidden", "This account may not do that."},
	"problem.invalid_transition":     {"Status change refused", "The ticket cannot move to that status from the one it has now."},
	"problem.not_rated":              {"Not closed", "Only a closed ticket can be rated; this one is not closed."},
	"problem.last_admin":             {"The last admin must stay", "This would leave the desk without an active admin: make someone else admin first."},
	"problem.invalid_credentials":    {"Invalid credentials", "Wrong username or password."},
	"problem.account_disabled":       {"Account deactivated", "This account has been deactivated."},
	"problem.telegram_disabled":      {"Telegram is off", "Telegram notifications are off on this server."},
	"problem.delivery_not_found":     {"Delivery not found", "There is no such delivery."},
	"problem.api_token_not_found":    {"Token not found", "The account has no such API token."},
	"problem.reset_link_invalid":     {"Link not valid", "The password-reset link was used, has expired or was replaced."},
	"replies.problem.not_found":      {"Saved reply not found", "There is no such saved reply, or it is a colleague's personal one."},
	"replies.problem.name_taken":     {"Name taken", "A saved reply of this name already exists."},
	"problem.invalid":                {"Invalid input", "Some values are not valid; errors lists them."},
	"problem.too_large":              {"Request too large", "The request body is larger than this server accepts."},
	"problem.cross_site":             {"Cross-site request refused", "The request came from another site."},
	"problem.internal":               {"Internal error", "Something went wrong on our side. Quote the request_id when you report it."},
	"problem.too_many_attempts":      {"Too many attempts", "Too many failed attempts; try again after Retry-After seconds."},
	"problem.too_many_requests":      {"Too many requests", "Too many login or sign-up attempts from this address; try again after Retry-After seconds."},
	"problem.unavailable":            {"Temporarily unavailable", "The service cannot reach its database right now; try again in a minute."},
	"problem.busy":                   {"Busy for a moment", "Too many passwords are being checked at once; try again after Retry-After seconds."},
	"problem.unauthorized":           {"Unauthorized", "Send a valid API token: Authorization: Bearer <token> (crm token create)."},
	"problem.unsupported_media_type": {"Unsupported media type", "Send the body as JSON, with Content-Type: application/json."},

	// Merging a duplicate (POST /admin/tickets/{id}/merge).
	"merge.problem.self":             {"Merge refused", "A ticket cannot be merged into itself."},
	"merge.problem.across_owners":    {"Merge refused", "Only tickets of the same owner can be merged."},
	"merge.problem.merged_away":      {"Ticket merged", "The ticket was merged into another one; it takes no more changes."},
	"merge.problem.target_not_found": {"No such ticket", "There is no ticket with that number to merge into."},
	"merge.problem.not_number":       {"Not a ticket number", "Give the number of a ticket, like 12 or #12."},

	// Two-factor sign-in guards the pages only; listed for completeness.
	"problem.too_many_codes":      {"Too many attempts", "Too many wrong codes; wait a few minutes."},
	"problem.two_factor_required": {"Two-factor sign-in is required", "It is mandatory for this account and cannot be turned off."},
	"problem.two_factor_off":      {"Two-factor sign-in is off", "Two-factor sign-in is not on for this account."},
}

// problemCode is the code of a problem's type URI: its catalogue key
// without "problem.", dots made underscores ("merge.problem.self" is
// merge_self, for a feature's own problems).
func problemCode(key string) string {
	return strings.ReplaceAll(strings.Replace(key, "problem.", "", 1), ".", "_")
}

// apiProblems lists every problem the API may answer with.
func apiProblems() []problem {
	return append(allProblems(), problemUnauthorized, problemUnsupportedMediaType)
}

// apiFail answers err as a problem: the API's own errors (no token, not
// JSON, unreadable input) and validation with the fields at fault here,
// everything else as answerFor decides for the pages too.
func (h *Handler) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	var input *apiInputError
	switch {
	case errors.Is(err, errNoBearer):
		w.Header().Set("WWW-Authenticate", `Bearer realm="crm"`)
		h.writeProblem(w, r, problemUnauthorized, "", nil)
		return
	case errors.Is(err, domain.ErrInvalidAPIToken):
		w.Header().Set("WWW-Authenticate", `Bearer realm="crm", error="invalid_token"`)
		h.writeProblem(w, r, problemUnauthorized, "The token is unknown or revoked, or its account is deactivated.", nil)
		return
	case errors.Is(err, errUnsupportedMediaType):
		h.writeProblem(w, r, problemUnsupportedMediaType, "", nil)
		return
	case errors.Is(err, errUnsupportedCharset):
		h.writeProblem(w, r, problemUnsupportedMediaType, "Send the body as UTF-8: Content-Type: application/json, with no charset or charset=utf-8.", nil)
		return
	case errors.As(err, &input):
		h.writeProblem(w, r, problem{http.StatusBadRequest, "problem.bad_request"}, input.detail, input.fields)
		return
	}
	if verrs, ok := domain.AsValidation(err); ok {
		if verrs.Field(upload.Field) == domain.CodeTooLarge {
			h.writeProblem(w, r, problemTooLarge, fmt.Sprintf("A file is larger than %d bytes, the most a file may have.", h.attachMaxBytes),
				[]apiFieldError{{Field: upload.Field, Code: domain.CodeTooLarge}})
			return
		}
		fields := make([]apiFieldError, len(verrs))
		for i, e := range verrs {
			fields[i] = apiFieldError{Field: e.Field, Code: e.Code}
		}
		h.writeProblem(w, r, problemInvalid, "", fields)
		return
	}
	p := h.answerFor(r, err)
	detail := ""
	if p == problemTooLarge {
		limit := h.maxBody
		if takesFiles(r) {
			limit = h.maxUploadBody()
		}
		detail = fmt.Sprintf("The request body is larger than %d bytes.", limit)
	}
	h.writeProblem(w, r, p, detail, nil)
}

// writeProblem answers p as application/problem+json; detail "" means the
// problem's usual detail.
func (h *Handler) writeProblem(w http.ResponseWriter, r *http.Request, p problem, detail string, fields []apiFieldError) {
	setRetryAfter(w, p)
	text, ok := apiProblemTexts[p.Key]
	if !ok {
		text = apiProblemText{title: http.StatusText(p.Status)}
	}
	if detail == "" {
		detail = text.detail
	}
	doc := apiProblem{
		Type:      apiProblemTypePrefix + problemCode(p.Key),
		Title:     text.title,
		Status:    p.Status,
		Detail:    detail,
		RequestID: requestID(r.Context()),
		Errors:    fields,
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/problem+json")
	hd.Set("Cache-Control", "no-store")
	hd.Del("Content-Language")
	w.WriteHeader(p.Status)
	b, _ := encodeJSON(doc) // plain strings and numbers: it cannot fail
	_, _ = w.Write(b)
}
