package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// register answers POST /register: it creates the account and logs the
// person in, or shows the form again with what they typed (passwords
// aside) and a message beside each wrong field. Sign-ups share the
// client address's login attempts (429 with Retry-After when none are left).
func (h *Handler) register(w http.ResponseWriter, r *http.Request, v *visitor) error {
	addr := addrKey(h.clientAddr(r))
	if ok, retry := h.guard.attempt(addr); !ok {
		h.refuseAttempt(w, r, v, refusedRate, addr, retry)
		return nil
	}
	f, err := newForm(r, "username", "password", "password_confirm", "next")
	if err == nil {
		_, err = h.app.RegisterUser.Handle(r.Context(), application.RegisterUser{
			Username: f.Get("username"), Password: f.Get("password"), PasswordConfirm: f.Get("password_confirm"),
		})
	}
	if f.fail(v.Lang, err) {
		f.Set("password", "")
		f.Set("password_confirm", "")
		f.Set("next", localPath(f.Get("next"), ""))
		return h.render(w, r, v, problemInvalid.Status, "register",
			&registerPage{layout: layout{Section: "register", Here: "/register"}, Form: f})
	}
	if err != nil {
		return err
	}
	in, err := h.app.LogIn.Handle(r.Context(), application.LogIn{
		Username: f.Get("username"), Password: f.Get("password"), OldToken: v.Token,
	})
	if err != nil {
		return err
	}
	h.rememberDevice(w, r, domain.UsernameKey(f.Get("username")))
	h.setSession(w, in.Token, in.ExpiresAt)
	h.setFlash(w, "registered", 0)
	http.Redirect(w, r, localPath(f.Get("next"), "/tickets/new"), http.StatusSeeOther)
	return nil
}
