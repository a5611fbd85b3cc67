package web

import (
	"errors"
	"net/http"
	"strings"

	"crm/application"
	"crm/domain"
)

// enableTwoFactor answers POST /account/2fa (code): the first code of the
// enrolment turns two-factor sign-in on, and the answer shows the recovery
// codes, this once. A wrong code shows the page again (422); too many
// answer 429 with Retry-After.
func (h *Handler) enableTwoFactor(w http.ResponseWriter, r *http.Request, v *visitor) error {
	if h.twoFactor == nil {
		return errNotFound
	}
	f, err := newForm(r, "code")
	if f.fail(v.Lang, err) {
		return h.renderTwoFactor(w, r, v, problemInvalid.Status, f)
	}
	if err != nil {
		return err
	}
	codes, err := h.twoFactor.Enable.Handle(r.Context(), application.EnableTwoFactor{
		UserID: v.User.ID(), Code: strings.TrimSpace(f.Get("code")),
	})
	switch {
	case errors.Is(err, domain.ErrTwoFactorAlreadyOn):
		http.Redirect(w, r, "/account/2fa", http.StatusSeeOther)
		return nil
	case h.tooManyCodes(w, r, v, err):
		return nil
	case errors.Is(err, domain.ErrSecondFactorInvalid):
		wrongCode(f, v.Lang)
		return h.renderTwoFactor(w, r, v, problemInvalid.Status, f)
	case err != nil:
		return err
	}
	return h.showRecoveryCodes(w, r, v, codes, "/account")
}
