package web

import (
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

// apiMerge is the body of POST /api/v1/tickets/{id}/merge.
type apiMerge struct {
	Into int64 `json:"into"`
}

// apiMergeTicket answers POST /api/v1/tickets/{id}/merge for staff: the
// duplicate {id} moves into the ticket into. 200 with that ticket as it
// now is; 404 for no ticket {id}; 409 across owners or for a ticket
// merged already; 422 for itself or a ticket that does not exist.
func (h *Handler) apiMergeTicket(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	var in apiMerge
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Into <= 0 {
		return domain.ValidationError{Field: "into", Code: domain.CodeInvalid}
	}
	into, err := h.app.MergeTickets.Handle(r.Context(), application.MergeTickets{
		Actor: u, TicketID: id, Into: strconv.FormatInt(in.Into, 10),
	})
	if err != nil {
		return err
	}
	return h.apiWriteTicket(w, r, u, http.StatusOK, into)
}
