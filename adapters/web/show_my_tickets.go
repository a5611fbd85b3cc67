package web

import (
	"html/template"
	"net/http"

	"crm/application"
)

type myTicketsPage struct {
	layout
	Tickets []ticketRow
	Rows    template.HTML // Tickets as table rows (ticket_rows_html.go)
	Total   int
	Pager   pager
}

// showMyTickets answers GET /tickets: the visitor's own tickets, newest
// first, a page at a time (?before=<id>).
func (h *Handler) showMyTickets(w http.ResponseWriter, r *http.Request, v *visitor) error {
	before := queryInt64(r, "before")
	mark := h.liveMark("mine", 0, false)
	page, err := h.app.ListMyTickets.Handle(r.Context(), application.ListMyTickets{
		Actor: v.User, Page: application.Page{Before: before}, Brief: true, // the page shows no assignee, rating or targets
	})
	if err != nil {
		return err
	}
	p := h.myTicketsPage(v.Lang, page, before)
	p.Live = mark
	return h.render(w, r, v, http.StatusOK, "my_tickets", p)
}

// myTicketsPage is the view of one page of a person's tickets, in lang.
func (h *Handler) myTicketsPage(lang string, page application.TicketPage, before int64) *myTicketsPage {
	rows := ticketRows(lang, page.Tickets, h.clock.Now())
	return &myTicketsPage{
		layout:  layout{Section: "tickets"},
		Tickets: rows,
		Rows:    myTicketRowsHTML(lang, rows),
		Total:   page.Total,
		Pager:   newPager("/tickets", nil, before, page.Next),
	}
}
