package domain

import (
	"slices"
	"time"
)

// ReplayTargets gives a ticket rebuilt from its history and comments (the
// demo data, a ticket filed before targets existed) the targets it would
// have under p, filed at its creation: its comments and status changes
// are played again in time order. Anyone but the owner counts as staff;
// nothing in a history says when staff asked the owner, so no pause but
// the closed times is played.
func (t *Ticket) ReplayTargets(p SLAPolicy) {
	t.sla = TicketTargets{}
	t.StartTargets(p)
	type step struct {
		at      time.Time
		comment *Comment
		change  *StatusChange
	}
	steps := make([]step, 0, len(t.history)+len(t.comments))
	for i := range t.history {
		steps = append(steps, step{at: t.history[i].At, change: &t.history[i]})
	}
	for i := range t.comments {
		steps = append(steps, step{at: t.comments[i].At, comment: &t.comments[i]})
	}
	slices.SortStableFunc(steps, func(a, b step) int { return a.at.Compare(b.at) })
	status := StatusOpen
	for _, s := range steps {
		if c := s.comment; c != nil {
			byOwner := c.AuthorID == t.ownerID
			saved := t.status
			t.status = status
			t.targetsOnComment(!byOwner, byOwner, c.Internal, c.At)
			t.status = saved
			continue
		}
		h := s.change
		t.targetsOnStatus(h.ByID != t.ownerID, h.From, h.To, h.At)
		status = h.To
	}
}
