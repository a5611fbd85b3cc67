package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// apiNewStatus is the body of POST /api/v1/tickets/{id}/status.
type apiNewStatus struct {
	Status  string `json:"status"`
	Comment string `json:"comment"`
}

// apiChangeStatus answers POST /api/v1/tickets/{id}/status: 200 with the
// ticket as it now is; 403 for a move that is not the owner's, 404 for
// someone else's ticket, 409 for a move the workflow refuses, 422 for an
// unknown status or a long comment.
func (h *Handler) apiChangeStatus(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	var in apiNewStatus
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	err = h.app.ChangeStatus.Handle(r.Context(), application.ChangeStatus{
		Actor: u, TicketID: id, Status: in.Status, Comment: in.Comment,
	})
	if err != nil {
		return err
	}
	return h.apiWriteTicket(w, r, u, http.StatusOK, id)
}
