package application

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"crm/domain"
)

// ErrNotTicketNumber refuses a merge target that is not a ticket number
// ("12" or "#12").
var ErrNotTicketNumber = errors.New("not a ticket number")

// MergeTickets merges the duplicate TicketID into the ticket numbered
// Into, as staff typed it: "12" or "#12".
type MergeTickets struct {
	Actor    *domain.User
	TicketID int64
	Into     string
}

type MergeTicketsHandler struct {
	tickets Tickets
	clock   Clock
}

func NewMergeTicketsHandler(tickets Tickets, clock Clock) MergeTicketsHandler {
	return MergeTicketsHandler{tickets: tickets, clock: clock}
}

// Handle moves the duplicate's comments, history and files to the target,
// closes the duplicate with a link to it and records TicketMerged, all in
// one transaction, and returns the target's id. Only staff merge: a
// non-staff actor gets ErrTicketNotFound for a ticket they may not see and
// ErrForbidden for their own. Refusals, with nothing changed:
// ErrNotTicketNumber, ErrMergeTargetNotFound, domain.ErrMergeIntoSelf,
// domain.ErrMergeAcrossOwners, domain.ErrMergedAway.
func (h MergeTicketsHandler) Handle(ctx context.Context, cmd MergeTickets) (int64, error) {
	if !cmd.Actor.IsStaff() {
		t, err := h.tickets.Get(ctx, cmd.TicketID)
		if err != nil {
			return 0, err
		}
		if !t.CanBeSeenBy(cmd.Actor) {
			return 0, domain.ErrTicketNotFound
		}
		return 0, domain.ErrForbidden
	}
	into, err := ParseTicketNumber(cmd.Into)
	if err != nil {
		return 0, err
	}
	err = h.tickets.Merge(ctx, cmd.TicketID, into, func(dup, target *domain.Ticket) error {
		if !dup.CanBeSeenBy(cmd.Actor) {
			return domain.ErrTicketNotFound
		}
		if !target.CanBeSeenBy(cmd.Actor) {
			return domain.ErrMergeTargetNotFound
		}
		return domain.MergeTickets(cmd.Actor, dup, target, h.clock.Now())
	})
	if err != nil {
		return 0, err
	}
	return into, nil
}

// ParseTicketNumber reads a ticket number as people write it: "12" or
// "#12", spaces around allowed; anything else is ErrNotTicketNumber.
func ParseTicketNumber(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strings.HasPrefix(s, "+") {
		return 0, ErrNotTicketNumber
	}
	return id, nil
}
