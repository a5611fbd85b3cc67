package web

import (
	"errors"
	"net/http"

	"crm/application"
	"crm/domain"
)

// showLoginCodePage answers GET /login/code: the second step of a login
// whose password was right, asking for a code, or, for someone who must
// enrol first, the QR code and secret of their new second factor. Without
// a waiting login it sends the browser to /login.
func (h *Handler) showLoginCodePage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	next := localPath(r.URL.Query().Get("next"), "")
	return h.renderLoginCode(w, r, v, http.StatusOK, emptyForm(map[string]string{"next": next}))
}

// renderLoginCode shows the code page of the browser's waiting login with
// f, or sends it to /login when there is none.
func (h *Handler) renderLoginCode(w http.ResponseWriter, r *http.Request, v *visitor, status int, f *form) error {
	if h.twoFactor == nil {
		return errNotFound
	}
	p, err := h.twoFactor.PendingLogIn.Handle(r.Context(), application.GetPendingLogIn{PendingToken: pendingLoginToken(r)})
	if errors.Is(err, domain.ErrPendingLogInNotFound) {
		h.backToLogin(w, r, f.Get("next"))
		return nil
	}
	if err != nil {
		return err
	}
	page := &loginCodePage{layout: layout{Section: "login", Here: "/login", Alert: f.firstError()}, Form: f}
	if p.Enrol {
		if page.Enrol, err = newEnrolView(v.Lang, p.Secret, p.URI); err != nil {
			return err
		}
	}
	return h.render(w, r, v, status, "login_code", page)
}
