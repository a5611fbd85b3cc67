package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// unlinkTelegram answers POST /account/telegram/unlink: the account's
// Telegram chat is unlinked (unlinking an account without one is fine),
// then back to /account with a flash. Errors: ErrTelegramDisabled when
// Telegram is not wired.
func (h *Handler) unlinkTelegram(w http.ResponseWriter, r *http.Request, v *visitor) error {
	if h.telegram == nil {
		return domain.ErrTelegramDisabled
	}
	if err := h.telegram.UnlinkTelegram.Handle(r.Context(), application.UnlinkTelegram{Actor: v.User}); err != nil {
		return err
	}
	h.clearCookie(w, linkCookie)
	h.setFlash(w, "telegram_unlinked", 0)
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}
