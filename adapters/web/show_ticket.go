package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"crm/application"
	"crm/domain"
)

type ticketPage struct {
	layout
	View    application.TicketView
	Comment *form // text, files
	// Closed: the ticket is closed and the reader is not staff, so their
	// comment reopens it.
	Closed bool
	// CanClose: the reader owns the ticket and may close it ("it's
	// solved"); CanRate: they own it, it is closed, and they may rate it.
	CanClose, CanRate bool
	Thread            thread
	History           historyView
	Limits            limitsView
	// Meanwhile: the comment form was held back because someone else
	// commented.
	Meanwhile bool
}

// showTicket answers GET /tickets/{id}: the ticket for its owner (and
// staff); 404 for anyone else, a missing ticket or a malformed id.
func (h *Handler) showTicket(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	p, err := h.loadTicketPage(r.Context(), v, id)
	if err != nil {
		return err
	}
	return h.render(w, r, v, http.StatusOK, "ticket", p)
}

// loadTicketPage reads what the ticket page shows.
func (h *Handler) loadTicketPage(ctx context.Context, v *visitor, id int64) (*ticketPage, error) {
	mark := h.liveMark("ticket", id, false)
	view, err := h.app.GetTicket.Handle(ctx, application.GetTicket{Actor: v.User, ID: id})
	if err != nil {
		return nil, err
	}
	return &ticketPage{
		layout:   layout{Section: "tickets", Here: "/tickets/" + strconv.FormatInt(id, 10), Live: mark},
		View:     view,
		Comment:  emptyForm(nil),
		Closed:   view.Ticket.Status() == domain.StatusClosed && !v.User.IsStaff(),
		CanClose: view.Ticket.IsOwnedBy(v.User) && slices.Contains(view.Next, domain.StatusClosed),
		CanRate:  view.Ticket.IsOwnedBy(v.User) && view.Ticket.Status() == domain.StatusClosed && view.Ticket.MergedInto() == 0,
		Thread:   thread{Comments: view.Comments, Files: newFileIndex(v.Lang, view, v.User)},
		History:  newHistoryView(view),
		Limits:   h.limitsView(v.Lang),
	}, nil
}
