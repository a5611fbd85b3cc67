package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// createSavedReply answers POST /admin/replies (name, text, shared=true
// for all staff). A refused reply shows the page again with the values
// and the reasons; nothing is saved.
func (h *Handler) createSavedReply(w http.ResponseWriter, r *http.Request, v *visitor) error {
	f, err := newForm(r, replyFields...)
	if f == nil {
		return err
	}
	if err == nil {
		_, err = h.app.CreateSavedReply.Handle(r.Context(), application.CreateSavedReply{
			Actor: v.User, Name: f.Get("name"), Text: f.Get("text"), Shared: f.Get("shared") == "true",
		})
	}
	if err == nil {
		http.Redirect(w, r, "/admin/replies?done=created", http.StatusSeeOther)
		return nil
	}
	if !failReply(f, v.Lang, err) {
		return err
	}
	return h.renderReplies(w, r, v, problemInvalid.Status, &repliesPage{Form: f})
}

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
