package web

import (
	"context"
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

type staffTicketPage struct {
	layout
	View        application.TicketView
	Staff       []*domain.User
	StatusForm  *form // status, comment
	AssignForm  *form // assignee
	CommentForm *form // text, internal, files
	MergeForm   *form // into
	Thread      thread
	History     historyView
	Limits      limitsView
	Replies     []replyChoice // saved replies to insert (insert_saved_reply.go)
	// Meanwhile: the comment form was held back because someone else
	// commented; AlsoViewing names the other staff on this page now.
	Meanwhile   bool
	AlsoViewing string
}

// showStaffTicket answers GET /admin/tickets/{id}: the whole ticket with
// internal notes, and the forms to move, assign and comment on it.
func (h *Handler) showStaffTicket(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	p, err := h.loadStaffTicketPage(r.Context(), v, id)
	if err != nil {
		return err
	}
	if err := h.insertSavedReply(r, v, p); err != nil {
		return err
	}
	return h.render(w, r, v, http.StatusOK, "staff_ticket", p)
}

// loadStaffTicketPage reads what the staff ticket page shows.
func (h *Handler) loadStaffTicketPage(ctx context.Context, v *visitor, id int64) (*staffTicketPage, error) {
	mark := h.liveMark("ticket", id, true)
	staff, err := h.app.ListStaff.Handle(ctx, application.ListStaff{Actor: v.User})
	if err != nil {
		return nil, err
	}
	view, err := h.app.GetTicket.Handle(ctx, application.GetTicket{Actor: v.User, ID: id})
	if err != nil {
		return nil, err
	}
	replies, err := h.replyChoices(ctx, v, view.Ticket)
	if err != nil {
		return nil, err
	}
	also := ""
	if h.presence != nil {
		// Who else is here is a nicety: a failure to tell leaves it out.
		if others, err := h.presence.Others(ctx, v.User, id); err == nil {
			also = alsoViewing(v.Lang, others)
		}
	}
	return &staffTicketPage{
		layout:      layout{Section: "queue", Here: "/admin/tickets/" + strconv.FormatInt(id, 10), Live: mark},
		AlsoViewing: also,
		View:        view,
		Staff:       staff,
		StatusForm:  emptyForm(nil),
		AssignForm:  emptyForm(nil),
		CommentForm: emptyForm(nil),
		MergeForm:   emptyForm(nil),
		Thread:      thread{Comments: view.Comments, Files: newFileIndex(v.Lang, view, v.User)},
		History:     newHistoryView(view),
		Limits:      h.limitsView(v.Lang),
		Replies:     replies,
	}, nil
}
