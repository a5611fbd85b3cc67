package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// deleteSavedReply answers POST /admin/replies/{id}/delete.
func (h *Handler) deleteSavedReply(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrSavedReplyNotFound)
	if err != nil {
		return err
	}
	if err := h.app.DeleteSavedReply.Handle(r.Context(), application.DeleteSavedReply{Actor: v.User, ID: id}); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/replies?done=deleted", http.StatusSeeOther)
	return nil
}
