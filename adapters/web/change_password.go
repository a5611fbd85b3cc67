package web

import (
	"net/http"

	"crm/application"
)

// changePassword answers POST /account/password (current_password,
// password, password_confirm): it sets the visitor's new password, ends
// their other sessions and redirects (303) to the account page; a refusal
// shows the account page again with a message beside each wrong field.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request, v *visitor) error {
	f, err := newForm(r, "current_password", "password", "password_confirm")
	if err == nil {
		err = h.app.ChangePassword.Handle(r.Context(), application.ChangePassword{
			Actor: v.User, Token: v.Token, CurrentPassword: f.Get("current_password"),
			Password: f.Get("password"), PasswordConfirm: f.Get("password_confirm"),
		})
	}
	if f.fail(v.Lang, err) {
		for _, field := range []string{"current_password", "password", "password_confirm"} {
			f.Set(field, "")
		}
		p, lerr := h.loadAccountPage(r, v)
		if lerr != nil {
			return lerr
		}
		p.Password = f
		return h.render(w, r, v, problemInvalid.Status, "account", p)
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "password_changed", 0)
	http.Redirect(w, r, "/account#password", http.StatusSeeOther)
	return nil
}
