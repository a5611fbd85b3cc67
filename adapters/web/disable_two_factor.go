package web

import (
	"errors"
	"net/http"
	"strings"

	"crm/application"
	"crm/domain"
)

// disableTwoFactor answers POST /account/2fa/disable (code): a current code
// or a recovery code turns two-factor sign-in off. Where the policy requires
// it the answer is 409; a wrong code shows the page again (422).
func (h *Handler) disableTwoFactor(w http.ResponseWriter, r *http.Request, v *visitor) error {
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
	err = h.twoFactor.Disable.Handle(r.Context(), application.DisableTwoFactor{
		UserID: v.User.ID(), Code: strings.TrimSpace(f.Get("code")),
	})
	switch {
	case h.tooManyCodes(w, r, v, err):
		return nil
	case errors.Is(err, domain.ErrSecondFactorInvalid):
		wrongCode(f, v.Lang)
		return h.renderTwoFactor(w, r, v, problemInvalid.Status, f)
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/account/2fa", http.StatusSeeOther)
	return nil
}
