package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// pendingLoginCookie holds the token of a login whose password was right
// and that waits for its second factor; only its hash is stored.
const pendingLoginCookie = "crm_login"

// enrolView is the secret of an enrolment: its QR code and its text.
type enrolView struct {
	Secret string
	QR     template.HTML
}

// twoFactorPage is /account/2fa, and the recovery codes after an
// enrolment (then Next is where to go on).
type twoFactorPage struct {
	layout
	Status application.TwoFactorStatus
	Enrol  *enrolView
	Codes  []string
	Next   string
	Form   *form // code
}

// loginCodePage asks for the second factor of a login, or enrols (Enrol).
type loginCodePage struct {
	layout
	Enrol *enrolView
	Form  *form // code, next
}

// newEnrolView draws the QR code of uri.
func newEnrolView(lang, secret, uri string) (*enrolView, error) {
	svg, err := qrSVG(uri, i18n.Message(lang, "two_factor.qr_label"))
	if err != nil {
		return nil, err
	}
	return &enrolView{Secret: secret, QR: svg}, nil
}

// askSecondFactor answers a right password that still needs a second
// factor: the pending token goes in its cookie, the browser to the code
// page.
func (h *Handler) askSecondFactor(w http.ResponseWriter, r *http.Request, in application.LoggedIn, next string) error {
	http.SetCookie(w, &http.Cookie{
		Name: pendingLoginCookie, Value: in.PendingToken, Path: "/login",
		MaxAge: int(domain.PendingLoginLifetime.Seconds()), HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, withNext("/login/code", next), http.StatusSeeOther)
	return nil
}

// withNext is path with next in its query, when next is a local path.
func withNext(path, next string) string {
	if next = localPath(next, ""); next != "" {
		path += "?" + url.Values{"next": {next}}.Encode()
	}
	return path
}

// clearPendingLogin deletes the pending login's cookie.
func (h *Handler) clearPendingLogin(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: pendingLoginCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// pendingLoginToken is the pending token the browser holds, or "".
func pendingLoginToken(r *http.Request) string {
	if c, err := r.Cookie(pendingLoginCookie); err == nil {
		return c.Value
	}
	return ""
}

// backToLogin sends a browser whose pending login is gone (over, replaced,
// never there) to the password again.
func (h *Handler) backToLogin(w http.ResponseWriter, r *http.Request, next string) {
	h.clearPendingLogin(w)
	http.Redirect(w, r, withNext("/login", next), http.StatusSeeOther)
}

// tooManyCodes answers a SecondFactorBlockedError: 429 with Retry-After.
func (h *Handler) tooManyCodes(w http.ResponseWriter, r *http.Request, v *visitor, err error) bool {
	var blocked domain.SecondFactorBlockedError
	if !errors.As(err, &blocked) {
		return false
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(blocked.RetryAfter.Seconds())+1))
	h.fail(w, r, v, err)
	return true
}

// showRecoveryCodes shows the recovery codes of an enrolment just done,
// this once, with a link on to next.
func (h *Handler) showRecoveryCodes(w http.ResponseWriter, r *http.Request, v *visitor, codes []string, next string) error {
	return h.render(w, r, v, http.StatusOK, "two_factor", &twoFactorPage{
		layout: layout{Section: "account", Here: "/account/2fa"},
		Status: application.TwoFactorStatus{Enabled: true, RecoveryCodesLeft: len(codes)},
		Codes:  codes, Next: next,
	})
}

// wrongCode marks the code field of f with the message of a wrong code.
func wrongCode(f *form, lang string) {
	f.errors["code"] = i18n.Message(lang, "two_factor.wrong_code")
	f.Set("code", "")
}
