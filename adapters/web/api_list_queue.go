package web

import (
	"net/http"
	"strings"

	"crm/application"
	"crm/domain"
)

// apiListQueue answers GET /api/v1/queue (status, type, q, assignee,
// before, limit, sort=due, overdue=1) for staff: one page of every ticket,
// newest first or soonest due first, with counts per status. A filter value that does not exist is a 422.
func (h *Handler) apiListQueue(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	page, err := queryPage(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := h.app.ListQueue.Handle(r.Context(), application.ListQueue{
		Actor: u, Status: q.Get("status"), Type: q.Get("type"), Assignee: q.Get("assignee"),
		Query: strings.TrimSpace(q.Get("q")), Page: page,
		Sort: q.Get("sort"), Overdue: overdueParam(q.Get("overdue")) == "1",
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newAPIQueue(p, h.clock.Now()))
}
