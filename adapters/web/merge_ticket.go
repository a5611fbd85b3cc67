package web

import (
	"errors"
	"net/http"
	"strconv"

	"crm/application"
	"crm/domain"
)

// mergeRefusals are the refusals of a merge that the staff ticket page
// shows beside the merge form, with what was typed kept.
var mergeRefusals = []error{application.ErrNotTicketNumber, domain.ErrMergeTargetNotFound,
	domain.ErrMergeIntoSelf, domain.ErrMergeAcrossOwners, domain.ErrMergedAway}

// mergeTicket answers POST /admin/tickets/{id}/merge (into: the number of
// the ticket to keep, "12" or "#12"): the duplicate {id} moves into it and
// staff go on to that ticket. A refusal (not a number, no such ticket,
// itself, another owner's, a merged one) shows the page again with the
// reason beside the field, and changes nothing.
func (h *Handler) mergeTicket(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, "into")
	if f == nil {
		return err
	}
	var into int64
	if err == nil {
		into, err = h.app.MergeTickets.Handle(r.Context(), application.MergeTickets{
			Actor: v.User, TicketID: id, Into: f.Get("into"),
		})
	}
	if err == nil {
		http.Redirect(w, r, "/admin/tickets/"+strconv.FormatInt(into, 10), http.StatusSeeOther)
		return nil
	}
	status, alert := problemInvalid.Status, ""
	switch {
	case isMergeRefusal(err):
		status, alert = tableRefusal(v.Lang, err)
		f.errors["into"] = alert
	case !f.fail(v.Lang, err):
		return err
	}
	p, err := h.loadStaffTicketPage(r.Context(), v, id)
	if err != nil {
		return err
	}
	p.MergeForm = f
	if p.View.Ticket.MergedInto() != 0 {
		p.Alert = alert // merged meanwhile: the page shows no form to say it beside
	}
	return h.render(w, r, v, status, "staff_ticket", p)
}

func isMergeRefusal(err error) bool {
	for _, refusal := range mergeRefusals {
		if errors.Is(err, refusal) {
			return true
		}
	}
	return false
}
