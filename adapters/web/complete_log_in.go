package web

import (
	"errors"
	"net/http"
	"strings"

	"crm/application"
	"crm/domain"
)

// completeLogIn answers POST /login/code (code, next): a right code (or
// recovery code, or the first code of an enrolment) starts the session and
// goes to next; after an enrolment the recovery codes are shown first, this
// once. A wrong code shows the form again (422); too many answer 429 with
// Retry-After; a login no longer waiting goes back to /login.
func (h *Handler) completeLogIn(w http.ResponseWriter, r *http.Request, v *visitor) error {
	if h.twoFactor == nil {
		return errNotFound
	}
	f, err := newForm(r, "code", "next")
	if f.fail(v.Lang, err) {
		f.Set("code", "")
		return h.renderLoginCode(w, r, v, problemInvalid.Status, f)
	}
	if err != nil {
		return err
	}
	next := localPath(f.Get("next"), "")
	f.Set("next", next)
	done, err := h.twoFactor.CompleteLogIn.Handle(r.Context(), application.CompleteLogIn{
		PendingToken: pendingLoginToken(r), Code: strings.TrimSpace(f.Get("code")), OldToken: v.Token,
	})
	switch {
	case errors.Is(err, domain.ErrPendingLogInNotFound):
		h.backToLogin(w, r, next)
		return nil
	case h.tooManyCodes(w, r, v, err):
		return nil
	case errors.Is(err, domain.ErrSecondFactorInvalid):
		wrongCode(f, v.Lang)
		return h.renderLoginCode(w, r, v, problemInvalid.Status, f)
	case err != nil:
		return err
	}
	h.clearPendingLogin(w)
	h.setSession(w, done.Token, done.ExpiresAt)
	if len(done.RecoveryCodes) > 0 {
		v.User, v.Token = done.User, done.Token
		return h.showRecoveryCodes(w, r, v, done.RecoveryCodes, localPath(next, "/"))
	}
	http.Redirect(w, r, localPath(next, "/"), http.StatusSeeOther)
	return nil
}
