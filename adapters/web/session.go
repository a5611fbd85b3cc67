package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"crm/application"
	"crm/domain"
)

// sessionCookie holds the session token from application.LogIn. Only its
// hash is stored server-side.
const sessionCookie = "crm_session"

// visitor is who is asking: the logged-in user (nil for anonymous), their
// session token, and the interface language of the answer.
type visitor struct {
	User  *domain.User
	Token string
	Lang  string
}

// handlerFunc is a page or an action. An error it returns is answered by
// fail, through the table in errors.go.
type handlerFunc func(w http.ResponseWriter, r *http.Request, v *visitor) error

// page wraps a handlerFunc: it notes who a form post comes from (for a
// login to record), finds the visitor, applies the route's access gate,
// and answers a returned error.
func (h *Handler) page(need access, fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			r = h.withClient(r) // a login: its session records the client
		}
		v, err := h.identify(w, r)
		if err != nil {
			h.fail(w, r, v, err)
			return
		}
		switch {
		case need > public && v.User == nil:
			h.redirectToLogin(w, r)
			return
		case need == staff && !v.User.IsStaff(), need == admin && !v.User.IsAdmin():
			h.fail(w, r, v, domain.ErrForbidden)
			return
		}
		if err := fn(w, r, v); err != nil {
			h.fail(w, r, v, err)
		}
	})
}

// identify resolves the session cookie to a user, fresh from storage, so a
// role change applies on the next request and a deactivated user is logged
// out. A dead session's cookie is deleted. The returned visitor is never
// nil and always has a language.
func (h *Handler) identify(w http.ResponseWriter, r *http.Request) (*visitor, error) {
	v := &visitor{}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		u, err := h.app.CurrentUser.Handle(r.Context(), application.CurrentUser{Token: c.Value})
		switch {
		case err == nil:
			v.User, v.Token = u, c.Value
		case errors.Is(err, domain.ErrSessionNotFound):
			h.clearCookie(w, sessionCookie)
		default:
			v.Lang = h.language(r, nil)
			return v, err
		}
	}
	v.Lang = h.language(r, v.User)
	return v, nil
}

// redirectToLogin sends an anonymous visitor to the login page, and back
// here after logging in when this is a page one can come back to.
func (h *Handler) redirectToLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		target += "?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// setSession puts a new session token in the cookie.
func (h *Handler) setSession(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/",
		MaxAge: int(expires.Sub(h.clock.Now()).Seconds()), HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// clearCookie deletes a cookie of ours.
func (h *Handler) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteLaxMode,
	})
}
