package web

import (
	"errors"
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

// changeStatus answers POST /admin/tickets/{id}/status (status, optional
// comment). A move the workflow refuses (someone else moved it first, or a
// forged value) shows the page again with the reason and the comment kept.
func (h *Handler) changeStatus(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, "status", "comment")
	if f == nil {
		return err
	}
	if err == nil {
		err = h.app.ChangeStatus.Handle(r.Context(), application.ChangeStatus{
			Actor: v.User, TicketID: id, Status: f.Get("status"), Comment: f.Get("comment"),
		})
	}
	if err == nil {
		h.setFlash(w, "status_changed", id)
		http.Redirect(w, r, "/admin/tickets/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	status, alert := problemInvalid.Status, ""
	switch {
	case errors.Is(err, domain.ErrInvalidTransition):
		status, alert = tableRefusal(v.Lang, err)
	case !f.fail(v.Lang, err):
		return err
	}
	p, err := h.loadStaffTicketPage(r.Context(), v, id)
	if err != nil {
		return err
	}
	p.Alert, p.StatusForm = alert, f
	return h.render(w, r, v, status, "staff_ticket", p)
}
