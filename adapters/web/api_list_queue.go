package web

import (
	"net/http"

	"crm/domain"
)

// apiListQueue answers GET /api/v1/queue (status, type, q, assignee,
// before, limit, sort=due, overdue=1) for staff: one page of every ticket,
// newest first or soonest due first, with counts per status. The filters
// are the queue page's (queueFilterOf); a value that does not exist is a
// 422.
func (h *Handler) apiListQueue(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	page, err := queryPage(r)
	if err != nil {
		return err
	}
	p, err := h.app.ListQueue.Handle(r.Context(), queueFilterOf(r.URL.Query()).listQueue(u, page))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newAPIQueue(p, h.clock.Now()))
}
