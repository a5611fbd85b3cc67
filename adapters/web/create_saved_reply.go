package web

import (
	"net/http"

	"crm/application"
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
