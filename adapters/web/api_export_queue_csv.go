package web

import (
	"net/http"

	"crm/domain"
)

// apiExportQueueCSV answers GET /api/v1/queue.csv, the same export for a
// bearer token of a staff member.
func (h *Handler) apiExportQueueCSV(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	return h.streamQueueCSV(w, r, u, queueFilterOf(r.URL.Query()))
}
