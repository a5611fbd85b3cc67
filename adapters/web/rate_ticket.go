package web

import (
	"net/http"
	"strconv"
	"strings"

	"crm/application"
	"crm/domain"
)

// rateTicket answers POST /tickets/{id}/rating (stars, 1 to 5) from the
// ticket page's five buttons. Stars that are not a number are refused as
// stars out of range: the page shows again with the reason, nothing
// changed.
func (h *Handler) rateTicket(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, "stars")
	if f == nil {
		return err
	}
	if err == nil {
		stars, convErr := strconv.Atoi(strings.TrimSpace(f.Get("stars")))
		if convErr != nil {
			stars = 0 // out of range: the use case refuses it
		}
		err = h.app.RateTicket.Handle(r.Context(), application.RateTicket{Actor: v.User, TicketID: id, Stars: stars})
	}
	if err == nil {
		h.setFlash(w, "rated", id)
		http.Redirect(w, r, "/tickets/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	return h.refuseOnTicketPage(w, r, v, id, err)
}
