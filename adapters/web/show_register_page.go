package web

import "net/http"

type registerPage struct {
	layout
	Form *form // username, password, password_confirm, next
}

// showRegisterPage answers GET /register. A logged-in user goes home.
func (h *Handler) showRegisterPage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	if v.User != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	next := localPath(r.URL.Query().Get("next"), "")
	return h.render(w, r, v, http.StatusOK, "register",
		&registerPage{layout: layout{Section: "register"}, Form: emptyForm(map[string]string{"next": next})})
}
