package web

import (
	"net/http"

	"crm/application"
)

// passwordResetPage is the page where the holder of a reset link sets a new
// password.
type passwordResetPage struct {
	layout
	Username string
	Form     *form // token
}

// showPasswordResetPage answers GET /password-reset?token=…: the form to
// set a new password, or the 404 page for a link that is not valid (used,
// expired, replaced or unknown). The token stays out of the logs, which
// never record the query.
func (h *Handler) showPasswordResetPage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	token := r.URL.Query().Get("token")
	u, err := h.app.ResetPassword.Check(r.Context(), application.CheckPasswordReset{Token: token})
	if err != nil {
		return err
	}
	return h.render(w, r, v, http.StatusOK, "password_reset", &passwordResetPage{
		layout: layout{Section: "login", Here: "/login"}, Username: u.Username(),
		Form: emptyForm(map[string]string{"token": token}),
	})
}

// resetPassword answers POST /password-reset (token, password,
// password_confirm): it sets the password, which ends every session and API
// token of the account, and redirects (303) to the login page; a refused
// password shows the form again with the reason, the link still usable.
func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request, v *visitor) error {
	f, err := newForm(r, "token", "password", "password_confirm")
	if err == nil {
		_, err = h.app.ResetPassword.Handle(r.Context(), application.ResetPassword{
			Token: f.Get("token"), Password: f.Get("password"), PasswordConfirm: f.Get("password_confirm"),
		})
	}
	if f.fail(v.Lang, err) {
		u, cerr := h.app.ResetPassword.Check(r.Context(), application.CheckPasswordReset{Token: f.Get("token")})
		if cerr != nil {
			return cerr
		}
		f.Set("password", "")
		f.Set("password_confirm", "")
		return h.render(w, r, v, problemInvalid.Status, "password_reset", &passwordResetPage{
			layout: layout{Section: "login", Here: "/login"}, Username: u.Username(), Form: f,
		})
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "password_reset", 0)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
