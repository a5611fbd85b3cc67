package web

import (
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

// apiNewTicket is the body of POST /api/v1/tickets.
type apiNewTicket struct {
	Title string `json:"title"`
	Text  string `json:"text"`
	Type  string `json:"type"`
}

// apiSubmitTicket answers POST /api/v1/tickets: 201 with the new ticket and
// its Location, or 422 naming every wrong field.
func (h *Handler) apiSubmitTicket(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	var in apiNewTicket
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := h.app.SubmitTicket.Handle(r.Context(), application.SubmitTicket{
		Actor: u, Title: in.Title, Text: in.Text, Type: in.Type,
	})
	if err != nil {
		return err
	}
	view, err := h.app.GetTicket.Handle(r.Context(), application.GetTicket{Actor: u, ID: t.ID()})
	if err != nil {
		return err
	}
	w.Header().Set("Location", apiPrefix+"tickets/"+strconv.FormatInt(t.ID(), 10))
	return writeJSON(w, http.StatusCreated, newAPITicket(view, h.clock.Now()))
}
