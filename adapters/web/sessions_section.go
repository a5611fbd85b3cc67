package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"crm/application"
)

// userAgentMaxLen is the most of a User-Agent header a session keeps.
const userAgentMaxLen = 300

// sessionRow is one of the visitor's sessions on the account page.
type sessionRow struct {
	application.SessionView
	Device string // a short summary of the User-Agent, "" when unknown
}

// withClient puts who r comes from (its User-Agent, made valid text and
// cut short, and the client address, see clientAddr) in r's context, for a
// login to record on the session it starts.
func (h *Handler) withClient(r *http.Request) *http.Request {
	ua := printable(r.UserAgent())
	if utf8.RuneCountInString(ua) > userAgentMaxLen {
		ua = string([]rune(ua)[:userAgentMaxLen])
	}
	var addr string
	if a := h.clientAddr(r); a.IsValid() {
		addr = a.String()
	}
	return r.WithContext(application.WithClient(r.Context(), application.Client{UserAgent: ua, Address: addr}))
}

// loadSessions fills the sessions section for v.
func (h *Handler) loadSessions(r *http.Request, v *visitor, p *accountPage) error {
	views, err := h.app.ListSessions.Handle(r.Context(), application.ListSessions{Actor: v.User, Token: v.Token})
	if err != nil {
		return err
	}
	p.Sessions = make([]sessionRow, len(views))
	for i, s := range views {
		p.Sessions[i] = sessionRow{SessionView: s, Device: deviceName(s.UserAgent)}
		if !s.Current {
			p.OtherSessions++
		}
	}
	return nil
}

// logOutOtherSessions answers POST /account/sessions/others: every session
// of the visitor's but this one ends ("log out everywhere else"), and a
// redirect (303) to the account page.
func (h *Handler) logOutOtherSessions(w http.ResponseWriter, r *http.Request, v *visitor) error {
	n, err := h.app.LogOutOthers.Handle(r.Context(), application.LogOutOtherSessions{Actor: v.User, Token: v.Token})
	if err != nil {
		return err
	}
	h.setFlash(w, "sessions_ended", int64(n))
	http.Redirect(w, r, "/account#sessions", http.StatusSeeOther)
	return nil
}

// logOutSession answers POST /account/sessions/{hash}/end: one of the
// visitor's sessions, named by its token hash, ends. Ending the session in
// use logs the visitor out here too; another person's session is a 404.
func (h *Handler) logOutSession(w http.ResponseWriter, r *http.Request, v *visitor) error {
	hash := r.PathValue("hash")
	if err := h.app.LogOutSession.Handle(r.Context(), application.LogOutSession{Actor: v.User, TokenHash: hash}); err != nil {
		return err
	}
	if hash == application.HashToken(v.Token) {
		h.clearCookie(w, sessionCookie)
		h.clearCookie(w, linkCookie)
		h.setFlash(w, "logged_out", 0)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	h.setFlash(w, "session_ended", 0)
	http.Redirect(w, r, "/account#sessions", http.StatusSeeOther)
	return nil
}

// deviceName sums a User-Agent up as "browser · system" ("Firefox ·
// Linux", "Safari · iOS"), or one of them, or "" when it tells neither.
func deviceName(ua string) string {
	var browser, system string
	for _, b := range []struct{ mark, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"YaBrowser/", "Yandex Browser"}, {"Firefox/", "Firefox"},
		{"Chrome/", "Chrome"}, {"CriOS/", "Chrome"}, {"Version/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.mark) {
			browser = b.name
			break
		}
	}
	for _, s := range []struct{ mark, name string }{
		{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, s.mark) {
			system = s.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " · " + system
	case browser != "":
		return browser
	}
	return system
}
