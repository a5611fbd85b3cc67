package web

import (
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

// deleteAttachment answers POST /admin/attachments/{id}/delete (staff): the
// file leaves its ticket, recorded in its history and the audit log, and
// the staff page of the ticket (the form's "ticket") is shown again. 404
// for an unknown file.
func (h *Handler) deleteAttachment(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrAttachmentNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, "ticket")
	if err != nil {
		return err
	}
	if err := h.app.DeleteAttachment.Handle(r.Context(), application.DeleteAttachment{Actor: v.User, ID: id}); err != nil {
		return err
	}
	target := "/admin/tickets"
	if ticket := parseNonNegative(f.Get("ticket")); ticket > 0 {
		target += "/" + strconv.FormatInt(ticket, 10)
		h.setFlash(w, "attachment_deleted", ticket)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
