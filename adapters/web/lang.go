package web

import (
	"net/http"

	"crm/adapters/i18n"
	"crm/domain"
)

// langCookie keeps the language an anonymous visitor chose in the footer
// (POST /account/language). A logged-in user's choice is kept on their
// account instead; the cookie is then set too, so the page keeps speaking
// the same language after logout.
const langCookie = "crm_lang"

// language picks the interface language: the user's choice on /account,
// else the lang cookie, else Accept-Language, else English.
func (h *Handler) language(r *http.Request, u *domain.User) string {
	if u != nil && i18n.Supported(u.Language()) {
		return u.Language()
	}
	if c, err := r.Cookie(langCookie); err == nil && i18n.Supported(c.Value) {
		return c.Value
	}
	return i18n.Match(r.Header.Get("Accept-Language"))
}
