package web

import (
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

// addComment answers POST /tickets/{id}/comments (text; internal=true for a
// staff note; ask_owner=true for staff asking the owner, which stops the
// response targets' clock until they answer; urlencoded, or multipart with files in "files", when the text
// may be empty). Staff go back to the staff ticket page, the owner to the
// ticket page. A refused comment shows that page again with the text kept
// and the reason: a message beside the field, or a note that the ticket is
// closed.
func (h *Handler) addComment(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	f, files, err := h.readUploadForm(r, "text", "internal", "ask_owner")
	if f == nil {
		return err
	}
	internal := f.Get("internal") == "true"
	if err == nil {
		err = h.app.AddComment.Handle(r.Context(), application.AddComment{
			Actor: v.User, TicketID: id, Text: f.Get("text"), Internal: internal, Files: files,
			AskOwner: f.Get("ask_owner") == "true",
		})
	}
	if err == nil {
		key := "comment_added"
		if internal {
			key = "note_added"
		}
		h.setFlash(w, key, id)
		target := "/tickets/"
		if v.User.IsStaff() {
			target = "/admin/tickets/"
		}
		http.Redirect(w, r, target+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	status, failed := h.failFiles(f, v.Lang, err)
	if !failed {
		return err
	}
	alert := ""
	if v.User.IsStaff() {
		p, err := h.loadStaffTicketPage(r.Context(), v, id)
		if err != nil {
			return err
		}
		p.Alert, p.CommentForm = alert, f
		return h.render(w, r, v, status, "staff_ticket", p)
	}
	p, err := h.loadTicketPage(r.Context(), v, id)
	if err != nil {
		return err
	}
	p.Alert, p.Comment = alert, f
	return h.render(w, r, v, status, "ticket", p)
}
