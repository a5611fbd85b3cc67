package web

import "net/http"

// accountPage is the data of /account. Sections added later (Telegram
// linking) get a field here and a {{template}} call in account.html.
type accountPage struct {
	layout
}

// showAccountPage answers GET /account: the profile and the language
// choice.
func (h *Handler) showAccountPage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	return h.render(w, r, v, http.StatusOK, "account", &accountPage{layout: layout{Section: "account"}})
}
