package web

import (
	"errors"
	"net/http"

	"crm/application"
	"crm/domain"
)

// issueTelegramLink answers POST /account/telegram/link: it issues a
// one-time link token and redirects (303) to the account page, which shows
// the deep link https://t.me/<bot>?start=<token> and the command
// "/start <token>" to copy. The token travels in a short-lived HttpOnly
// cookie (see linkCookie), never in a URL of ours or a log line. With
// Telegram off the account page comes back with a 409 and says so.
func (h *Handler) issueTelegramLink(w http.ResponseWriter, r *http.Request, v *visitor) error {
	var link application.TelegramLink
	err := domain.ErrTelegramDisabled
	if h.telegram != nil {
		link, err = h.telegram.IssueTelegramLink.Handle(r.Context(), application.IssueTelegramLink{Actor: v.User})
	}
	if errors.Is(err, domain.ErrTelegramDisabled) {
		p, lerr := h.loadAccountPage(r, v)
		if lerr != nil {
			return lerr
		}
		status, alert := tableRefusal(v.Lang, err)
		p.Alert = alert
		return h.render(w, r, v, status, "account", p)
	}
	if err != nil {
		return err
	}
	h.setPendingLink(w, v.User, link)
	http.Redirect(w, r, "/account#telegram", http.StatusSeeOther)
	return nil
}
