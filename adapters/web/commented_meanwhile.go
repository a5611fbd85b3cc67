package web

import (
	"net/http"
	"strconv"

	"crm/adapters/i18n"
)

// parseSeen reads a comment form's "seen" field: the id of the newest
// comment its page showed. ok is false when the form has no such field
// (a program's post, an old page), which skips the check.
func parseSeen(s string) (id int64, ok bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// showCommentedMeanwhile answers a comment held back because someone else
// commented after the page was shown: the page again, with the new
// comments, a warning, the typed text kept and the button to send it
// anyway (the form now carries the newest comment's id, so sending again
// saves it). Nothing was saved; files must be chosen again, as a browser
// never re-fills a file field.
func (h *Handler) showCommentedMeanwhile(w http.ResponseWriter, r *http.Request, v *visitor, id int64, f *form) error {
	alert := i18n.Message(v.Lang, "live.commented_meanwhile")
	if v.User.IsStaff() {
		p, err := h.loadStaffTicketPage(r.Context(), v, id)
		if err != nil {
			return err
		}
		p.Alert, p.CommentForm, p.Meanwhile = alert, f, true
		return h.render(w, r, v, http.StatusConflict, "staff_ticket", p)
	}
	p, err := h.loadTicketPage(r.Context(), v, id)
	if err != nil {
		return err
	}
	p.Alert, p.Comment, p.Meanwhile = alert, f, true
	return h.render(w, r, v, http.StatusConflict, "ticket", p)
}
