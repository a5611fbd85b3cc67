package web

import (
	"net/http"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// setLanguage answers POST /account/language (language: "" for the
// browser's choice, or one of i18n.Languages; next: where to go back to).
// A logged-in user's choice is stored on their account; everyone also gets
// the crm_lang cookie, so an anonymous visitor can switch too and the
// language stays after logout.
func (h *Handler) setLanguage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	f, err := newForm(r, "language", "next")
	if err != nil {
		return err
	}
	lang := f.Get("language")
	if v.User != nil {
		err := h.app.SetLanguage.Handle(r.Context(), application.SetLanguage{Actor: v.User, Language: lang})
		if err != nil {
			return err
		}
	} else if lang != "" && !i18n.Supported(lang) {
		return domain.ValidationError{Field: "language", Code: domain.CodeInvalid}
	}
	if lang == "" {
		h.clearCookie(w, langCookie)
	} else {
		http.SetCookie(w, &http.Cookie{
			Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
		})
	}
	h.setFlash(w, "language_saved", 0)
	http.Redirect(w, r, localPath(f.Get("next"), "/"), http.StatusSeeOther)
	return nil
}
