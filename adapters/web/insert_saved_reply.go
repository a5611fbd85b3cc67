package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"crm/application"
	"crm/domain"
)

// replyChoice is a saved reply offered beside the comment box, its text
// already filled for the ticket, so that replies.js inserts it without
// asking the server.
type replyChoice struct {
	ID     int64
	Name   string
	Shared bool
	Filled string
}

// replyChoices are the saved replies v may use, filled for t.
func (h *Handler) replyChoices(ctx context.Context, v *visitor, t *domain.Ticket) ([]replyChoice, error) {
	replies, err := h.app.ListSavedReplies.Handle(ctx, application.ListSavedReplies{Actor: v.User})
	if err != nil {
		return nil, err
	}
	out := make([]replyChoice, len(replies))
	for i, rp := range replies {
		out[i] = replyChoice{ID: rp.ID, Name: rp.Name, Shared: rp.Shared, Filled: rp.Fill(t)}
	}
	return out, nil
}

// insertSavedReply serves the comment form's Insert button without
// JavaScript: the button sends the form by GET to the ticket's page, with
// reply=<id> and what was typed (text, internal), and the page comes back
// with the reply, filled, added to the text. Without reply the page is as
// usual. Errors: ErrSavedReplyNotFound for a reply the reader may not use.
func (h *Handler) insertSavedReply(r *http.Request, v *visitor, p *staffTicketPage) error {
	q := r.URL.Query()
	replyID, ok := parseQueryID(q.Get("reply"))
	if !ok {
		return nil
	}
	filled, err := h.app.FillSavedReply.Handle(r.Context(), application.FillSavedReply{
		Actor: v.User, ReplyID: replyID, TicketID: p.View.Ticket.ID(),
	})
	if err != nil {
		return err
	}
	typed := strings.TrimRight(printable(domain.NormalizeNewlines(q.Get("text"))), " \n\t")
	if typed != "" {
		filled = typed + "\n\n" + filled
	}
	values := map[string]string{"text": filled}
	if q.Get("internal") == "true" {
		values["internal"] = "true"
	}
	p.CommentForm = emptyForm(values)
	return nil
}

// parseQueryID reads a positive id; ok is false when s is empty or not one.
func parseQueryID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}
