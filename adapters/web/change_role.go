package web

import (
	"errors"
	"net/http"
	"net/url"

	"crm/application"
	"crm/domain"
)

// changeRole answers POST /admin/users/{id}/role (role; next: the users
// page to go back to). It applies on the user's next request. Refusals (the
// last admin demoting themself, an unknown role) show the users page again
// with the reason.
func (h *Handler) changeRole(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrUserNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, "role", "next")
	if err != nil {
		return err
	}
	err = h.app.ChangeRole.Handle(r.Context(), application.ChangeRole{Actor: v.User, UserID: id, Role: f.Get("role")})
	if err == nil {
		h.setFlash(w, "role_changed", id)
		http.Redirect(w, r, usersPageURL(f.Get("next")), http.StatusSeeOther)
		return nil
	}
	return h.refuseUserChange(w, r, v, f, err)
}

// refuseUserChange shows the users page again with why an admin action was
// refused, or returns err when it is not a refusal.
func (h *Handler) refuseUserChange(w http.ResponseWriter, r *http.Request, v *visitor, f *form, err error) error {
	var status int
	var alert string
	switch {
	case errors.Is(err, domain.ErrLastAdmin):
		status, alert = tableRefusal(v.Lang, err)
	case f.fail(v.Lang, err):
		status, alert = problemInvalid.Status, f.firstError()
	default:
		return err
	}
	u, _ := url.Parse(usersPageURL(f.Get("next")))
	p, err := h.loadUsersPage(r.Context(), v, u.Query())
	if err != nil {
		return err
	}
	p.Alert = alert
	return h.render(w, r, v, status, "users", p)
}

// usersPageURL keeps next when it is the users page, else the first page.
func usersPageURL(next string) string {
	next = localPath(next, "/admin/users")
	if u, err := url.Parse(next); err != nil || u.Path != "/admin/users" {
		return "/admin/users"
	}
	return next
}
