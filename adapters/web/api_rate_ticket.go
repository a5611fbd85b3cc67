package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// apiNewRating is the body of POST /api/v1/tickets/{id}/rating.
type apiNewRating struct {
	Stars int `json:"stars"`
}

// apiRateTicket answers POST /api/v1/tickets/{id}/rating for the ticket's
// owner: 200 with the ticket and its rating; 403 for staff, 404 for
// someone else's ticket, 409 while it is not closed, 422 for stars
// outside 1–5.
func (h *Handler) apiRateTicket(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	var in apiNewRating
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	err = h.app.RateTicket.Handle(r.Context(), application.RateTicket{Actor: u, TicketID: id, Stars: in.Stars})
	if err != nil {
		return err
	}
	return h.apiWriteTicket(w, r, u, http.StatusOK, id)
}
