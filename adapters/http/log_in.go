package web

import (
	"errors"
	"net/http"
	"strconv"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// logIn answers POST /login: a new session (the old one, if any, ends, so
// the id changes) and a redirect to next; or the form again with the
// username kept and a message, 401 for wrong credentials and 403 for a
// deactivated account. After too many wrong passwords for one username it
// answers 429 until the window ends (see LoginFailureLimit).
func (h *Handler) logIn(w http.ResponseWriter, r *http.Request, v *visitor) error {
	f, err := newForm(r, "username", "password", "next")
	if f.fail(v.Lang, err) {
		// Not text: nothing to look up. The form again, with the reason.
		f.Set("password", "")
		f.Set("next", localPath(f.Get("next"), ""))
		return h.render(w, r, v, http.StatusUnprocessableEntity, "login", &loginPage{
			layout: layout{Section: "login", Here: "/login", Alert: f.firstError()},
			Form:   f,
		})
	}
	if err != nil {
		return err
	}
	guessKey := domain.UsernameKey(f.Get("username"))
	if blocked, retry := h.loginFailures.blocked(guessKey); blocked {
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
		h.showProblem(w, r, v, problemTooManyAttempts)
		return nil
	}
	in, err := h.app.LogIn.Handle(r.Context(), application.LogIn{
		Username: f.Get("username"), Password: f.Get("password"), OldToken: v.Token,
	})
	if errors.Is(err, domain.ErrInvalidCredentials) || errors.Is(err, domain.ErrAccountDisabled) {
		p, _ := classify(err)
		if errors.Is(err, domain.ErrInvalidCredentials) {
			h.loginFailures.add(guessKey)
		}
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
	h.loginFailures.reset(guessKey)
	if in.PendingToken != "" {
		return h.askSecondFactor(w, r, in, f.Get("next"))
	}
	h.setSession(w, in.Token, in.ExpiresAt)
	http.Redirect(w, r, localPath(f.Get("next"), "/"), http.StatusSeeOther)
	return nil
}
