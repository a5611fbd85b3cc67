package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"crm/application"
	"crm/domain"
)

// resetCookie carries a freshly issued password-reset link from POST
// /admin/users/{id}/password-reset to the users page it redirects to,
// which shows it once and deletes the cookie. The token exists nowhere else
// in plain text: the database holds its hash. The cookie is HttpOnly,
// scoped to the users page, and names the admin it was issued to.
const resetCookie = "crm_password_reset"

var resetCookieShape = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[A-Za-z0-9_-]{16,64}$`)

// issuedReset is a reset link as the users page shows it.
type issuedReset struct {
	UserID    int64
	URL       string
	ExpiresAt time.Time
}

// issuePasswordReset answers POST /admin/users/{id}/password-reset (next:
// the users page to go back to): it issues a one-time link with which the
// user sets a new password, and redirects (303) to the users page, which
// shows the link once. Refusals show the users page again with the reason.
func (h *Handler) issuePasswordReset(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrUserNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, "next")
	if err != nil {
		return err
	}
	issued, err := h.app.IssuePasswordReset.Handle(r.Context(), application.IssuePasswordReset{Actor: v.User, UserID: id})
	if err != nil {
		return h.refuseUserChange(w, r, v, f, err)
	}
	value := strings.Join([]string{strconv.FormatInt(v.User.ID(), 10), strconv.FormatInt(id, 10),
		strconv.FormatInt(issued.ExpiresAt.Unix(), 10), issued.Token}, ".")
	h.setShownOnce(w, resetCookie, "/admin/users", value, int(issued.ExpiresAt.Sub(h.clock.Now()).Seconds()))
	http.Redirect(w, r, usersPageURL(f.Get("next")), http.StatusSeeOther)
	return nil
}

// takeIssuedReset returns the reset link issued to the admin v in this
// browser, if it is still valid, and deletes the cookie: it is shown once.
func (h *Handler) takeIssuedReset(w http.ResponseWriter, r *http.Request, v *visitor) *issuedReset {
	c, err := r.Cookie(resetCookie)
	if err != nil {
		return nil
	}
	h.setShownOnce(w, resetCookie, "/admin/users", "", -1)
	if !resetCookieShape.MatchString(c.Value) {
		return nil
	}
	parts := strings.SplitN(c.Value, ".", 4)
	if parts[0] != strconv.FormatInt(v.User.ID(), 10) {
		return nil
	}
	userID, err1 := strconv.ParseInt(parts[1], 10, 64)
	unix, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return nil
	}
	expires := time.Unix(unix, 0).UTC()
	if !h.clock.Now().Before(expires) {
		return nil
	}
	return &issuedReset{UserID: userID, ExpiresAt: expires,
		URL: h.siteURL(r) + "/password-reset?" + url.Values{"token": {parts[3]}}.Encode()}
}

// siteURL is where people reach the site: the public URL when configured,
// else the scheme and host of the request.
func (h *Handler) siteURL(r *http.Request) string {
	if h.publicURL != "" {
		return strings.TrimRight(h.publicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || h.secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
