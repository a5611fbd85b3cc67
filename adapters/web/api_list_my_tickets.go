package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// apiListMyTickets answers GET /api/v1/tickets (before, limit): one page
// of the token user's own tickets, newest first.
func (h *Handler) apiListMyTickets(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	page, err := queryPage(r)
	if err != nil {
		return err
	}
	p, err := h.app.ListMyTickets.Handle(r.Context(), application.ListMyTickets{Actor: u, Page: page})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newAPITicketList(p, h.clock.Now()))
}
