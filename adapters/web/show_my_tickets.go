package web

import (
	"net/http"
	"time"

	"crm/application"
	"crm/domain"
)

// myTicketsPage is a page of a person's list, written in Go
// (my_tickets_html.go).
type myTicketsPage struct {
	layout
	tickets []*domain.Ticket
	now     time.Time // the rows' times are relative to it
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
	return &myTicketsPage{
		layout:  layout{Section: "tickets", Lang: lang},
		tickets: page.Tickets,
		now:     h.clock.Now(),
		Total:   page.Total,
		Pager:   newPager("/tickets", nil, before, page.Next),
	}
}
