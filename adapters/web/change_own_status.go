package web

import (
	"errors"
	"net/http"
	"strconv"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// changeOwnStatus answers POST /tickets/{id}/status (status) from the
// ticket page: the owner closes their ticket ("it's solved") or reopens
// it. The use case decides who may; a stale button (the ticket moved on)
// or a move that is not the owner's shows the page again with the reason.
func (h *Handler) changeOwnStatus(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, "status")
	if f == nil {
		return err
	}
	if err == nil {
		err = h.app.ChangeStatus.Handle(r.Context(), application.ChangeStatus{
			Actor: v.User, TicketID: id, Status: f.Get("status"),
		})
	}
	if err == nil {
		key := "ticket_closed"
		if f.Get("status") != domain.StatusClosed.String() {
			key = "ticket_reopened"
		}
		h.setFlash(w, key, id)
		http.Redirect(w, r, "/tickets/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	return h.refuseOnTicketPage(w, r, v, id, err)
}

// refuseOnTicketPage shows the ticket page again with why an action of
// its owner was refused: a refusal of the workflow, or an invalid value
// (a forged form). Anything else (a ticket the visitor may not see, a
// fault) is answered as an error page.
func (h *Handler) refuseOnTicketPage(w http.ResponseWriter, r *http.Request, v *visitor, id int64, err error) error {
	var status int
	var alert string
	if verrs, invalid := domain.AsValidation(err); invalid {
		status, alert = problemInvalid.Status, i18n.Validation(v.Lang, verrs[0].Field, verrs[0].Code)
	} else if errors.Is(err, domain.ErrInvalidTransition) || errors.Is(err, domain.ErrNotRated) ||
		errors.Is(err, domain.ErrForbidden) {
		status, alert = tableRefusal(v.Lang, err)
	} else {
		return err
	}
	p, err := h.loadTicketPage(r.Context(), v, id)
	if err != nil {
		return err
	}
	p.Alert = alert
	return h.render(w, r, v, status, "ticket", p)
}
