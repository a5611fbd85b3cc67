package web

import (
	"net/http"
	"strconv"
	"strings"

	"crm/adapters/i18n"
)

// flashCookie carries a message to the page after a redirect, as a key of
// flashKeys and a number ("ticket_submitted-12"): never text, so nothing a
// cookie says is reflected into a page.
const flashCookie = "crm_flash"

// flashKeys are the flash messages, "flash.<key>" in the catalogue; each
// may use the placeholder {id}.
var flashKeys = map[string]bool{
	"registered":         true,
	"logged_out":         true,
	"ticket_submitted":   true,
	"attachment_deleted": true,
	"comment_added":      true,
	"note_added":         true,
	"status_changed":     true,
	"ticket_closed":      true,
	"ticket_reopened":    true,
	"rated":              true,
	"assigned":           true,
	"unassigned":         true,
	"role_changed":       true,
	"user_activated":     true,
	"user_deactivated":   true,
	"language_saved":     true,
	"telegram_unlinked":  true,
	"telegram_alerts":    true,
	"delivery_retried":   true,
	"password_reset":     true,
	"password_changed":   true,
	"api_token_revoked":  true,
	"sessions_ended":     true,
	"session_ended":      true,
}

// setFlash leaves the message key, with id, for the next page.
func (h *Handler) setFlash(w http.ResponseWriter, key string, id int64) {
	if !flashKeys[key] {
		panic("web: unknown flash key " + key)
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: key + "-" + strconv.FormatInt(id, 10), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	})
}

// takeFlash returns the flash message in lang, if the request carries a
// valid one, and whether it carried the cookie at all.
func (h *Handler) takeFlash(r *http.Request, lang string) (string, bool) {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return "", false
	}
	key, num, ok := strings.Cut(c.Value, "-")
	id, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || !flashKeys[key] {
		return "", true
	}
	return i18n.Message(lang, "flash."+key, "id", id), true
}
