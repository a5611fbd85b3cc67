package web

import "net/http"

type homePage struct{ layout }

// showHomePage answers GET /: what the desk is, for visitors; logged-in
// people go straight to their tickets, staff to the queue.
func (h *Handler) showHomePage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	if v.User != nil {
		target := "/tickets"
		if v.User.IsStaff() {
			target = "/admin/tickets"
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return nil
	}
	return h.render(w, r, v, http.StatusOK, "home", &homePage{})
}
