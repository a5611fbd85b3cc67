package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// apiShowTicket answers GET /api/v1/tickets/{id}: the ticket with its
// comments and history for its owner (without internal notes) and staff;
// 404 for anyone else, a missing ticket or a malformed id.
func (h *Handler) apiShowTicket(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	return h.apiWriteTicket(w, r, u, http.StatusOK, id)
}

// apiWriteTicket answers with the ticket id as u may see it.
func (h *Handler) apiWriteTicket(w http.ResponseWriter, r *http.Request, u *domain.User, status int, id int64) error {
	view, err := h.app.GetTicket.Handle(r.Context(), application.GetTicket{Actor: u, ID: id})
	if err != nil {
		return err
	}
	return writeJSON(w, status, newAPITicket(view, h.clock.Now()))
}
