package web

import (
	"errors"
	"net/http"
	"time"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// logIn answers POST /login: a new session (the old one, if any, ends, so
// the id changes) and a redirect to next, and the browser remembered as one
// that logged in to that account; or the form again with the username kept
// and a message, 401 for wrong credentials and 403 for a deactivated
// account. Too many attempts from the client's address, or too many wrong
// passwords (see loginGuard), answer 429 with Retry-After.
func (h *Handler) logIn(w http.ResponseWriter, r *http.Request, v *visitor) error {
	addr := addrKey(h.clientAddr(r))
	if ok, retry := h.guard.attempt(addr); !ok {
		h.refuseAttempt(w, r, v, refusedRate, addr, retry)
		return nil
	}
	f, err := newForm(r, "username", "password", "next")
	if f.fail(v.Lang, err) {
		// Not text: nothing to look up. The form again, with the reason.
		return h.logInAgain(w, r, v, f, problemInvalid.Status, f.firstError())
	}
	if err != nil {
		return err
	}
	userKey := domain.UsernameKey(f.Get("username"))
	try := loginAttempt{user: userKey, addr: addr, device: h.knownDevice(r, userKey)}
	if ok, why, retry := h.guard.admit(try); !ok {
		h.refuseAttempt(w, r, v, why, addr, retry)
		return nil
	}
	done, ok := h.guard.check(addr)
	if !ok {
		h.refuseAttempt(w, r, v, refusedBusy, addr, time.Second)
		return nil
	}
	defer done()
	in, err := h.app.LogIn.Handle(r.Context(), application.LogIn{
		Username: f.Get("username"), Password: f.Get("password"), OldToken: v.Token,
	})
	if errors.Is(err, domain.ErrInvalidCredentials) || errors.Is(err, domain.ErrAccountDisabled) {
		p, _ := classify(err)
		if errors.Is(err, domain.ErrInvalidCredentials) {
			h.guard.failed(try)
		}
		return h.logInAgain(w, r, v, f, p.Status, i18n.Message(v.Lang, p.Key+".text"))
	}
	if err != nil {
		return err
	}
	h.guard.succeeded(try)
	// The password was right: what the device cookie vouches for, whether
	// or not a second factor follows.
	h.rememberDevice(w, r, userKey)
	if in.PendingToken != "" {
		return h.askSecondFactor(w, r, in, f.Get("next"))
	}
	h.setSession(w, in.Token, in.ExpiresAt)
	http.Redirect(w, r, localPath(f.Get("next"), "/"), http.StatusSeeOther)
	return nil
}

// logInAgain shows the login form again with status and alert, the
// username kept and the password not.
func (h *Handler) logInAgain(w http.ResponseWriter, r *http.Request, v *visitor, f *form, status int, alert string) error {
	f.Set("password", "")
	f.Set("next", localPath(f.Get("next"), ""))
	return h.render(w, r, v, status, "login", &loginPage{
		layout: layout{Section: "login", Here: "/login", Alert: alert},
		Form:   f,
	})
}
