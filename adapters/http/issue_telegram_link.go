package web

import (
	"errors"
	"net/http"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// issueTelegramLink answers POST /account/telegram/link: it issues a
// one-time link token and answers with the account page showing the deep
// link https://t.me/<bot>?start=<token> and the command "/start <token>"
// to copy. The page is the answer itself (200, not stored by caches), so
// the token never appears in a URL of ours, a cookie or a log line. With
// Telegram off the account page comes back with a 409 and says so.
func (h *Handler) issueTelegramLink(w http.ResponseWriter, r *http.Request, v *visitor) error {
	var link application.TelegramLink
	err := domain.ErrTelegramDisabled
	if h.telegram != nil {
		link, err = h.telegram.IssueTelegramLink.Handle(r.Context(), application.IssueTelegramLink{Actor: v.User})
	}
	if err != nil && !errors.Is(err, domain.ErrTelegramDisabled) {
		return err
	}
	p, lerr := h.loadAccountPage(r.Context(), v)
	if lerr != nil {
		return lerr
	}
	if err != nil {
		p.Alert = i18n.Message(v.Lang, "problem.telegram_disabled.text")
		return h.render(w, r, v, http.StatusConflict, "account", p)
	}
	p.Telegram.Link = &link
	if link.BotUsername != "" {
		p.Telegram.BotUsername = link.BotUsername
	}
	return h.render(w, r, v, http.StatusOK, "account", p)
}
