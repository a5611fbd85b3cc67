package web

import (
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

// submitTicket answers POST /tickets (urlencoded, or multipart with files
// in "files"): the new ticket's page, or the form again with what was typed
// and a message beside each wrong field; nothing is stored then.
func (h *Handler) submitTicket(w http.ResponseWriter, r *http.Request, v *visitor) error {
	f, files, err := h.readUploadForm(r, "title", "text", "type")
	var t *domain.Ticket
	if err == nil {
		t, err = h.app.SubmitTicket.Handle(r.Context(), application.SubmitTicket{
			Actor: v.User, Title: f.Get("title"), Text: f.Get("text"), Type: f.Get("type"), Files: files,
		})
	}
	if status, failed := h.failFiles(f, v.Lang, err); failed {
		return h.render(w, r, v, status, "new_ticket",
			&newTicketPage{layout: layout{Section: "new", Here: "/tickets/new"}, Form: f, Limits: h.limitsView(v.Lang)})
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "ticket_submitted", t.ID())
	http.Redirect(w, r, "/tickets/"+strconv.FormatInt(t.ID(), 10), http.StatusSeeOther)
	return nil
}
