package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// editSavedReply answers POST /admin/replies/{id} (name, text, shared).
func (h *Handler) editSavedReply(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrSavedReplyNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, replyFields...)
	if f == nil {
		return err
	}
	if err == nil {
		err = h.app.EditSavedReply.Handle(r.Context(), application.EditSavedReply{
			Actor: v.User, ID: id, Name: f.Get("name"), Text: f.Get("text"), Shared: f.Get("shared") == "true",
		})
	}
	if err == nil {
		http.Redirect(w, r, "/admin/replies?done=saved", http.StatusSeeOther)
		return nil
	}
	rp, getErr := h.app.GetSavedReply.Handle(r.Context(), application.GetSavedReply{Actor: v.User, ID: id})
	if getErr != nil {
		return getErr // not there (any more), or not the reader's to see
	}
	if !failReply(f, v.Lang, err) {
		return err
	}
	return h.renderReplyEdit(w, r, v, problemInvalid.Status, rp, f)
}
