package web

import "net/http"

type newTicketPage struct {
	layout
	Form   *form // title, text, type, files
	Limits limitsView
}

// showNewTicketPage answers GET /tickets/new.
func (h *Handler) showNewTicketPage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	return h.render(w, r, v, http.StatusOK, "new_ticket",
		&newTicketPage{layout: layout{Section: "new"}, Form: emptyForm(nil), Limits: h.limitsView(v.Lang)})
}
