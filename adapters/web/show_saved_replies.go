package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// replyRow is a saved reply as the list shows it.
type replyRow struct {
	domain.SavedReply
	CanChange bool // the reader may edit and delete it
}

// repliesPage is /admin/replies: the replies the reader may use, and the
// form for a new one.
type repliesPage struct {
	layout
	Replies []replyRow
	Form    *form // name, text, shared
	Done    string
}

// replyDone are the messages /admin/replies shows after an action
// (?done=<key>, "replies.done.<key>" in the catalogue): a fixed key, never
// text from the URL.
var replyDone = map[string]bool{"created": true, "saved": true, "deleted": true}

// showSavedReplies answers GET /admin/replies.
func (h *Handler) showSavedReplies(w http.ResponseWriter, r *http.Request, v *visitor) error {
	p := &repliesPage{Form: newReplyForm(nil)}
	if done := r.URL.Query().Get("done"); replyDone[done] {
		p.Done = i18n.Message(v.Lang, "replies.done."+done)
	}
	return h.renderReplies(w, r, v, http.StatusOK, p)
}

// renderReplies fills p's list and answers with it.
func (h *Handler) renderReplies(w http.ResponseWriter, r *http.Request, v *visitor, status int, p *repliesPage) error {
	replies, err := h.app.ListSavedReplies.Handle(r.Context(), application.ListSavedReplies{Actor: v.User})
	if err != nil {
		return err
	}
	p.layout = layout{Section: "replies", Here: "/admin/replies"}
	for _, rp := range replies {
		p.Replies = append(p.Replies, replyRow{SavedReply: rp, CanChange: rp.CanBeChangedBy(v.User)})
	}
	return h.render(w, r, v, status, "replies", p)
}

// newReplyForm is the form of a reply: rp's values, or empty (a new
// reply is personal unless its author says otherwise).
func newReplyForm(rp *domain.SavedReply) *form {
	f := emptyForm(nil)
	if rp != nil {
		f = emptyForm(map[string]string{"name": rp.Name, "text": rp.Text, "shared": strconv.FormatBool(rp.Shared)})
	}
	f.fields = replyFields
	return f
}

var replyFields = []string{"name", "text", "shared"}

// failReply puts the refusal err on f, in lang, and reports whether it was
// one a form shows: a validation error, or a name taken in its scope.
// Messages come from "replies.error.<field>.<code>" when the catalogue has
// one, else from the common ones.
func failReply(f *form, lang string, err error) bool {
	if errors.Is(err, domain.ErrSavedReplyNameTaken) {
		err = domain.ValidationError{Field: "name", Code: domain.CodeTaken}
	}
	verrs, ok := domain.AsValidation(err)
	if !ok {
		return false
	}
	found := strings.Join(domain.UnknownPlaceholders(f.Get("text")), ", ")
	for _, e := range verrs {
		msg, ferr := i18n.Format(lang, "replies.error."+e.Field+"."+e.Code,
			"owner", domain.PlaceholderOwner, "ticket", domain.PlaceholderTicket, "found", found)
		if ferr != nil {
			msg = i18n.Validation(lang, e.Field, e.Code)
		}
		if _, seen := f.errors[e.Field]; !seen {
			f.errors[e.Field] = msg
		}
	}
	return true
}
