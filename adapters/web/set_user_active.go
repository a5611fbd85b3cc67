package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// setUserActive answers POST /admin/users/{id}/active (active=true|false;
// next: the users page to go back to). A deactivated user's sessions end at
// once. The last active admin cannot deactivate themself.
func (h *Handler) setUserActive(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrUserNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, "active", "next")
	if err != nil {
		return err
	}
	var active bool
	switch f.Get("active") {
	case "true":
		active = true
	case "false":
	default:
		return h.refuseUserChange(w, r, v, f, domain.ValidationError{Field: "active", Code: domain.CodeInvalid})
	}
	err = h.app.SetUserActive.Handle(r.Context(), application.SetUserActive{Actor: v.User, UserID: id, Active: active})
	if err != nil {
		return h.refuseUserChange(w, r, v, f, err)
	}
	key := "user_deactivated"
	if active {
		key = "user_activated"
	}
	h.setFlash(w, key, id)
	http.Redirect(w, r, usersPageURL(f.Get("next")), http.StatusSeeOther)
	return nil
}
