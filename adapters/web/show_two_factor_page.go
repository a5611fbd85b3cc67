package web

import (
	"net/http"

	"crm/application"
)

// showTwoFactorPage answers GET /account/2fa: whether two-factor sign-in
// is on; when it is off, a new secret (QR code and text) and the form that
// turns it on with its first code.
func (h *Handler) showTwoFactorPage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	return h.renderTwoFactor(w, r, v, http.StatusOK, emptyForm(nil))
}

// renderTwoFactor shows /account/2fa with the form f.
func (h *Handler) renderTwoFactor(w http.ResponseWriter, r *http.Request, v *visitor, status int, f *form) error {
	if h.twoFactor == nil {
		return errNotFound
	}
	st, err := h.twoFactor.Start.Handle(r.Context(), application.StartTwoFactor{UserID: v.User.ID()})
	if err != nil {
		return err
	}
	page := &twoFactorPage{layout: layout{Section: "account", Here: "/account/2fa", Alert: f.firstError()}, Status: st, Form: f}
	if !st.Enabled {
		if page.Enrol, err = newEnrolView(v.Lang, st.Secret, st.URI); err != nil {
			return err
		}
	}
	return h.render(w, r, v, status, "two_factor", page)
}
