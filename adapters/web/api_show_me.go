package web

import (
	"net/http"

	"crm/domain"
)

// apiShowMe answers GET /api/v1/me: the token's own account.
func (h *Handler) apiShowMe(w http.ResponseWriter, _ *http.Request, u *domain.User) error {
	return writeJSON(w, http.StatusOK, newAPIMe(u))
}
