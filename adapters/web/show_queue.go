package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"crm/application"
	"crm/domain"
)

// queueFilter is the queue's filters as the URL carries them.
type queueFilter struct {
	Status   string
	Type     string
	Assignee string // "", "unassigned", "mine" or a user id
	Q        string
	Sort     string // "" (newest first) or "due"
	Overdue  string // "1": only the overdue tickets
}

func (f queueFilter) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"status": f.Status, "type": f.Type, "assignee": f.Assignee, "q": f.Q,
		"sort": f.Sort, "overdue": f.Overdue} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// queueFilterOf reads the queue's filters from a URL's query. The queue
// page, its CSV export and the API's CSV read them here, so a filter added
// to the queue applies to all of them.
func queueFilterOf(q url.Values) queueFilter {
	return queueFilter{
		Status: q.Get("status"), Type: q.Get("type"), Assignee: q.Get("assignee"), Q: strings.TrimSpace(q.Get("q")),
		Sort: q.Get("sort"), Overdue: overdueParam(q.Get("overdue")),
	}
}

// listQueue is the ListQueue query for these filters, on behalf of actor.
func (f queueFilter) listQueue(actor *domain.User, page application.Page) application.ListQueue {
	return application.ListQueue{
		Actor: actor, Status: f.Status, Type: f.Type, Assignee: f.Assignee, Query: f.Q, Page: page,
		Sort: f.Sort, Overdue: f.Overdue == "1",
	}
}

// url is the queue with these filters and status instead of f's.
func (f queueFilter) withStatus(status string) string {
	f.Status = status
	if v := f.values(); len(v) > 0 {
		return "/admin/tickets?" + v.Encode()
	}
	return "/admin/tickets"
}

// statusCount is one of the counts above the queue.
type statusCount struct {
	Status  domain.Status
	Count   int
	URL     string
	Current bool
}

type queuePage struct {
	layout
	Filter   queueFilter
	Filtered bool
	Form     *form // errors on the filters
	Staff    []*domain.User
	Tickets  []ticketRow
	now      time.Time // the rows' times are relative to it
	Total    int
	Capped   bool // a search stopped counting: Total and Counts are lower bounds
	Counts   []statusCount
	AllURL   string
	AllCount int
	CSVURL   string // the CSV export of every ticket these filters select
	Pager    pager
}

// showQueue answers GET /admin/tickets: every ticket, newest first (or
// soonest due first with sort=due), filtered by status, type, assignee, q
// and overdue=1, with counts per status and
// pages keyed by ?before=<id>. A filter value that does not exist is shown
// as a message beside it.
func (h *Handler) showQueue(w http.ResponseWriter, r *http.Request, v *visitor) error {
	filter := queueFilterOf(r.URL.Query())
	before := queryInt64(r, "before")
	mark := h.liveMark("queue", 0, false) // the queue updates itself
	staff, err := h.app.ListStaff.Handle(r.Context(), application.ListStaff{Actor: v.User})
	if err != nil {
		return err
	}
	p := newQueuePage(filter, staff)
	p.Live = mark
	page, err := h.app.ListQueue.Handle(r.Context(), filter.listQueue(v.User, application.Page{Before: before}))
	if p.Form.fail(v.Lang, err) {
		return h.render(w, r, v, problemInvalid.Status, "queue", p)
	}
	if err != nil {
		return err
	}
	h.fillQueue(p, v.Lang, page, before)
	return h.render(w, r, v, http.StatusOK, "queue", p)
}

// fillQueue puts one page of the queue, in lang, into p.
func (h *Handler) fillQueue(p *queuePage, lang string, page application.TicketPage, before int64) {
	now := h.clock.Now()
	p.Tickets, p.now, p.Total, p.Capped = ticketRows(lang, page.Tickets, now), now, page.Total, page.CountCapped
	for _, s := range domain.Statuses() {
		n := page.ByStatus[s]
		p.AllCount += n
		p.Counts = append(p.Counts, statusCount{
			Status: s, Count: n, URL: p.Filter.withStatus(s.String()), Current: p.Filter.Status == s.String(),
		})
	}
	p.Pager = newPager("/admin/tickets", p.Filter.values(), before, page.Next)
}

// newQueuePage is the queue with its filters and no tickets yet.
func newQueuePage(filter queueFilter, staff []*domain.User) *queuePage {
	p := &queuePage{
		layout:   layout{Section: "queue"},
		Filter:   filter,
		Filtered: len(filter.values()) > 0,
		Form:     emptyForm(nil),
		Staff:    staff,
		AllURL:   filter.withStatus(""),
		CSVURL:   queueCSVURL(filter),
	}
	p.Form.fields = []string{"q", "status", "type", "assignee", "sort"}
	return p
}

// overdueParam reads the overdue filter: "1" (or "true", "on", as a
// checkbox sends it) keeps only the overdue tickets; anything else is off.
func overdueParam(s string) string {
	switch s {
	case "1", "true", "on":
		return "1"
	}
	return ""
}
