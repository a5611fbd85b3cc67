package web

import (
	"encoding/json"
	"net/http"

	"crm/application"
	"crm/domain"
)

// apiAssignment is the body of POST /api/v1/tickets/{id}/assign.
type apiAssignment struct {
	AssigneeID optionalID `json:"assignee_id"`
}

// optionalID is an id that may be null, and knows whether it was sent at
// all.
type optionalID struct {
	set bool
	id  int64 // 0 for null
}

// UnmarshalJSON reads an integer or null. Anything else is a
// *json.UnmarshalTypeError, which the decoder names the field in.
func (o *optionalID) UnmarshalJSON(b []byte) error {
	var id *int64
	if err := json.Unmarshal(b, &id); err != nil {
		return err
	}
	o.set = true
	if id != nil {
		o.id = *id
	}
	return nil
}

// apiAssignTicket answers POST /api/v1/tickets/{id}/assign for staff:
// assignee_id is an active staff member's id, or null (or 0) to take the
// ticket back. 200 with the ticket as it now is; 422 for an assignee who
// is not active staff.
func (h *Handler) apiAssignTicket(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	var in apiAssignment
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	switch {
	case !in.AssigneeID.set:
		return domain.ValidationError{Field: "assignee_id", Code: domain.CodeRequired}
	case in.AssigneeID.id < 0:
		return domain.ValidationError{Field: "assignee_id", Code: domain.CodeInvalid}
	}
	err = h.app.AssignTicket.Handle(r.Context(), application.AssignTicket{
		Actor: u, TicketID: id, AssigneeID: in.AssigneeID.id,
	})
	if err != nil {
		return renameFields(err, map[string]string{"assignee": "assignee_id"})
	}
	return h.apiWriteTicket(w, r, u, http.StatusOK, id)
}
