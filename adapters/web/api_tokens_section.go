package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"crm/application"
	"crm/domain"
)

// tokensSection is the API-token part of the account page.
type tokensSection struct {
	Tokens []domain.APIToken
	// Issued is the token just created, shown once (see tokenCookie).
	Issued string
	Form   *form // name
}

// tokenCookie carries a freshly issued API token from POST /account/tokens
// to the account page it redirects to, which shows it once and deletes the
// cookie. The token exists nowhere else in plain text: the database holds
// its hash. The cookie is HttpOnly, scoped to the account page, lives five
// minutes and names the account it was issued for.
const tokenCookie = "crm_api_token"

var tokenCookieShape = regexp.MustCompile(`^[0-9]+\.crm_[A-Za-z0-9_-]{16,64}$`)

// loadTokens fills the API-token section for v.
func (h *Handler) loadTokens(r *http.Request, v *visitor, p *accountPage) error {
	ts, err := h.app.ListAPITokens.Handle(r.Context(), application.ListAPITokens{Actor: v.User, Username: v.User.Username()})
	if err != nil {
		return err
	}
	p.APITokens.Tokens = ts
	if p.APITokens.Form == nil {
		p.APITokens.Form = emptyForm(nil)
	}
	return nil
}

// takeIssuedToken returns the API token issued to v in this browser, if
// any, and deletes the cookie: it is shown once.
func (h *Handler) takeIssuedToken(w http.ResponseWriter, r *http.Request, v *visitor) string {
	c, err := r.Cookie(tokenCookie)
	if err != nil {
		return ""
	}
	h.setShownOnce(w, tokenCookie, "/account", "", -1)
	owner, token, ok := strings.Cut(c.Value, ".")
	if !ok || !tokenCookieShape.MatchString(c.Value) || owner != strconv.FormatInt(v.User.ID(), 10) {
		return ""
	}
	return token
}

// issueAPIToken answers POST /account/tokens (name): it creates an API
// token for the visitor and redirects (303) to the account page, which
// shows it once; a refused name shows the page again with the reason.
func (h *Handler) issueAPIToken(w http.ResponseWriter, r *http.Request, v *visitor) error {
	f, err := newForm(r, "name")
	var issued application.IssuedAPIToken
	if err == nil {
		issued, err = h.app.IssueAPIToken.Handle(r.Context(), application.IssueAPIToken{
			Actor: v.User, Username: v.User.Username(), Name: f.Get("name"),
		})
	}
	if f.fail(v.Lang, err) {
		p, lerr := h.loadAccountPage(r, v)
		if lerr != nil {
			return lerr
		}
		p.APITokens.Form = f
		return h.render(w, r, v, problemInvalid.Status, "account", p)
	}
	if err != nil {
		return err
	}
	h.setShownOnce(w, tokenCookie, "/account", strconv.FormatInt(v.User.ID(), 10)+"."+issued.Token, 300)
	http.Redirect(w, r, "/account#tokens", http.StatusSeeOther)
	return nil
}

// setShownOnce sets (maxAge > 0) or deletes (maxAge < 0) a cookie that
// carries a secret from a POST to the page it redirects to, which shows it
// once: tokenCookie, resetCookie. HttpOnly, SameSite strict, scoped to path.
func (h *Handler) setShownOnce(w http.ResponseWriter, name, path, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: path, MaxAge: maxAge,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteStrictMode,
	})
}

// revokeAPIToken answers POST /account/tokens/{id}/revoke: the token stops
// working at once. Someone else's token is not found (404).
func (h *Handler) revokeAPIToken(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrAPITokenNotFound)
	if err != nil {
		return err
	}
	if err := h.app.RevokeAPIToken.Handle(r.Context(), application.RevokeAPIToken{Actor: v.User, ID: id}); err != nil {
		return err
	}
	h.setFlash(w, "api_token_revoked", id)
	http.Redirect(w, r, "/account#tokens", http.StatusSeeOther)
	return nil
}
