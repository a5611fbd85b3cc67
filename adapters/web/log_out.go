package web

import (
	"net/http"

	"crm/application"
)

// logOut answers POST /logout: the session ends and its cookie is deleted.
func (h *Handler) logOut(w http.ResponseWriter, r *http.Request, v *visitor) error {
	if err := h.app.LogOut.Handle(r.Context(), application.LogOut{Token: v.Token}); err != nil {
		return err
	}
	h.clearCookie(w, sessionCookie)
	h.clearCookie(w, linkCookie)
	if v.User != nil {
		h.setFlash(w, "logged_out", 0)
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
