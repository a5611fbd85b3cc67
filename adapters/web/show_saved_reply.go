package web

import (
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

// replyEditPage is /admin/replies/{id}: the form to change one reply.
type replyEditPage struct {
	layout
	Reply domain.SavedReply
	Form  *form // name, text, shared
}

// showSavedReplyEdit answers GET /admin/replies/{id}: a reply the reader
// may change, in its form. A colleague's personal reply is a 404; a shared
// one the reader may only use is a 403.
func (h *Handler) showSavedReplyEdit(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrSavedReplyNotFound)
	if err != nil {
		return err
	}
	rp, err := h.app.GetSavedReply.Handle(r.Context(), application.GetSavedReply{Actor: v.User, ID: id})
	if err != nil {
		return err
	}
	if !rp.CanBeChangedBy(v.User) {
		return domain.ErrForbidden
	}
	return h.renderReplyEdit(w, r, v, http.StatusOK, rp, newReplyForm(&rp))
}

func (h *Handler) renderReplyEdit(w http.ResponseWriter, r *http.Request, v *visitor, status int, rp domain.SavedReply, f *form) error {
	return h.render(w, r, v, status, "reply_edit", &replyEditPage{
		layout: layout{Section: "replies", Here: "/admin/replies/" + strconv.FormatInt(rp.ID, 10)},
		Reply:  rp, Form: f,
	})
}
