package web

import "net/http"

type loginPage struct {
	layout
	Form *form // username, next
}

// showLoginPage answers GET /login. ?next= is where to go after logging in;
// only a path on this site is kept. A logged-in user goes there at once.
func (h *Handler) showLoginPage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	next := localPath(r.URL.Query().Get("next"), "")
	if v.User != nil {
		http.Redirect(w, r, localPath(next, "/"), http.StatusSeeOther)
		return nil
	}
	return h.render(w, r, v, http.StatusOK, "login",
		&loginPage{layout: layout{Section: "login"}, Form: emptyForm(map[string]string{"next": next})})
}
