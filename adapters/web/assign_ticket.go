package web

import (
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

// assignTicket answers POST /admin/tickets/{id}/assign (assignee: a staff
// member's id; empty takes the ticket back). Someone who is not active
// staff is refused with a message beside the field.
func (h *Handler) assignTicket(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, "assignee")
	if err != nil {
		return err
	}
	var assignee int64
	if s := f.Get("assignee"); s != "" {
		assignee, err = strconv.ParseInt(s, 10, 64)
		if err != nil || assignee <= 0 {
			err = domain.ValidationError{Field: "assignee", Code: domain.CodeInvalid}
		}
	}
	if err == nil {
		err = h.app.AssignTicket.Handle(r.Context(), application.AssignTicket{
			Actor: v.User, TicketID: id, AssigneeID: assignee,
		})
	}
	if err == nil {
		key := "assigned"
		if assignee == 0 {
			key = "unassigned"
		}
		h.setFlash(w, key, id)
		http.Redirect(w, r, "/admin/tickets/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	if !f.fail(v.Lang, err) {
		return err
	}
	p, err := h.loadStaffTicketPage(r.Context(), v, id)
	if err != nil {
		return err
	}
	p.AssignForm = f
	return h.render(w, r, v, problemInvalid.Status, "staff_ticket", p)
}
