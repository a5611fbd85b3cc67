package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"crm/application"
	"crm/domain"
)

// linkCookie carries a freshly issued Telegram link token from POST
// /account/telegram/link to the account page it redirects to, so that the
// POST answers 303 like every other form and a reload keeps showing the
// link. The token exists nowhere else in plain text: the database holds
// its hash. The cookie is HttpOnly and lives only as long as the token; it
// names the account it was issued for, so on a shared browser the next
// person to log in never sees it, and logging out deletes it.
const linkCookie = "crm_telegram_link"

var linkTokenShape = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// setPendingLink stores link for u's next account page.
func (h *Handler) setPendingLink(w http.ResponseWriter, u *domain.User, link application.TelegramLink) {
	value := strconv.FormatInt(u.ID(), 10) + "." + strconv.FormatInt(link.ExpiresAt.Unix(), 10) + "." + link.Token
	http.SetCookie(w, &http.Cookie{
		Name: linkCookie, Value: value, Path: "/",
		MaxAge:   int(link.ExpiresAt.Sub(h.clock.Now()).Seconds()),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	})
}

// pendingLink returns the link issued to u in this browser, if it is still
// valid; bot is the bot's username ("" while unknown).
func (h *Handler) pendingLink(r *http.Request, u *domain.User, bot string) *application.TelegramLink {
	c, err := r.Cookie(linkCookie)
	if err != nil {
		return nil
	}
	parts := strings.SplitN(c.Value, ".", 3)
	if len(parts) != 3 || parts[0] != strconv.FormatInt(u.ID(), 10) || !linkTokenShape.MatchString(parts[2]) {
		return nil
	}
	unix, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return nil
	}
	expires := time.Unix(unix, 0).UTC()
	if !h.clock.Now().Before(expires) {
		return nil
	}
	link := application.NewTelegramLink(parts[2], expires, bot)
	return &link
}
