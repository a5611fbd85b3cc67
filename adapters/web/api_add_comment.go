package web

import (
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

// apiNewComment is the body of POST /api/v1/tickets/{id}/comments.
type apiNewComment struct {
	Text     string `json:"text"`
	Internal bool   `json:"internal"` // a staff note the owner never sees
}

// apiAddComment answers POST /api/v1/tickets/{id}/comments: 201 with the
// ticket as it now is. Errors as AddComment's: 404 for a ticket the token's
// user may not see, 403 for an internal note by non-staff, 409 when the
// owner writes on a closed ticket, 422 for the text.
func (h *Handler) apiAddComment(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	var in apiNewComment
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	err = h.app.AddComment.Handle(r.Context(), application.AddComment{
		Actor: u, TicketID: id, Text: in.Text, Internal: in.Internal,
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Location", apiPrefix+"tickets/"+strconv.FormatInt(id, 10))
	return h.apiWriteTicket(w, r, u, http.StatusCreated, id)
}
