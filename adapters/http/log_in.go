package web

import (
	"errors"
	"net/http"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// logIn answers POST /login: a new session (the old one, if any, ends, so
// the id changes) and a redirect to next; or the form again with the
// username kept and a message, 401 for wrong credentials and 403 for a
// deactivated account.
func (h *Handler) logIn(w http.ResponseWriter, r *http.Request, v *visitor) error {
	f, err := newForm(r, "username", "password", "next")
	if err != nil {
		return err
	}
	in, err := h.app.LogIn.Handle(r.Context(), application.LogIn{
		Username: f.Get("username"), Password: f.Get("password"), OldToken: v.Token,
	})
	if errors.Is(err, domain.ErrInvalidCredentials) || errors.Is(err, domain.ErrAccountDisabled) {
		p, _ := classify(err)
		f.Set("password", "")
		f.Set("next", localPath(f.Get("next"), ""))
		return h.render(w, r, v, p.Status, "login", &loginPage{
			layout: layout{Section: "login", Here: "/login", Alert: i18n.Message(v.Lang, p.Key+".text")},
			Form:   f,
		})
	}
	if err != nil {
		return err
	}
	h.setSession(w, in.Token, in.ExpiresAt)
	http.Redirect(w, r, localPath(f.Get("next"), "/"), http.StatusSeeOther)
	return nil
}
