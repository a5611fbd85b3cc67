package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// setStaffAlerts answers POST /account/telegram/alerts: the two staff
// alert checkboxes (an unticked box is not sent, so is off), then back to
// /account with a flash. Errors: ErrTelegramDisabled when Telegram is not
// wired, ErrForbidden for someone who is not staff.
func (h *Handler) setStaffAlerts(w http.ResponseWriter, r *http.Request, v *visitor) error {
	if h.telegram == nil {
		return domain.ErrTelegramDisabled
	}
	err := h.telegram.SetStaffAlerts.Handle(r.Context(), application.SetStaffAlerts{Actor: v.User,
		NewTickets: r.PostFormValue("new_tickets") == "on", OwnerReplies: r.PostFormValue("owner_replies") == "on"})
	if err != nil {
		return err
	}
	h.setFlash(w, "telegram_alerts", 0)
	http.Redirect(w, r, "/account#telegram", http.StatusSeeOther)
	return nil
}
