package domain

import "time"

// TicketTargets is the state of a ticket's response targets. A ticket
// filed before targets existed has none (HasTargets false) and is never
// overdue; its first response and resolution are still recorded, so that
// reports can measure them.
type TicketTargets struct {
	// Calendar is the calendar of the policy the ticket was filed under:
	// changing the policy later does not move this ticket's due times.
	Calendar   Calendar
	HasTargets bool
	// ResponseDue and ResolutionDue move later by the working time of
	// every pause.
	ResponseDue   time.Time
	ResolutionDue time.Time
	// FirstResponseAt is the first public staff comment or staff status
	// change; ResolvedAt the last closing (zero while not closed).
	FirstResponseAt time.Time
	ResolvedAt      time.Time
	// ResponseMet and ResolutionMet are nil until decided: at the first
	// response and at the closing (cleared on reopening). Met means at or
	// before the due time, to the microsecond.
	ResponseMet   *bool
	ResolutionMet *bool
	// WaitingSince is when the clock stopped: staff asked the owner, or
	// the ticket was closed; zero while the clock runs.
	WaitingSince time.Time
	// PausedSeconds is the working time of every ended pause.
	PausedSeconds int64
}

// Targets returns the state of the ticket's response targets.
func (t *Ticket) Targets() TicketTargets { return t.sla }

// RehydrateTargets gives a stored ticket its stored targets. Only storage
// adapters call it.
func (t *Ticket) RehydrateTargets(s TicketTargets) *Ticket {
	t.sla = s
	return t
}

// StartTargets sets the due times of a new ticket from p, counted from its
// creation. SubmitTicket calls it before the ticket is stored.
func (t *Ticket) StartTargets(p SLAPolicy) {
	t.sla = TicketTargets{
		Calendar:      p.Calendar,
		HasTargets:    true,
		ResponseDue:   p.Calendar.Add(t.createdAt, p.Response).UTC(),
		ResolutionDue: p.Calendar.Add(t.createdAt, p.Resolution).UTC(),
	}
}

// WaitingForOwner reports whether staff asked the owner and the owner has
// not answered yet (the clock is stopped meanwhile).
func (t *Ticket) WaitingForOwner() bool {
	return !t.sla.WaitingSince.IsZero() && t.status != StatusClosed
}

// NextDue returns the earliest due time still pending: the response's
// until the first response, then the resolution's; zero when none is
// pending (no targets, closed, or the clock stopped).
func (t *Ticket) NextDue() time.Time {
	s := t.sla
	if !s.HasTargets || t.status == StatusClosed || !s.WaitingSince.IsZero() {
		return time.Time{}
	}
	if s.FirstResponseAt.IsZero() && s.ResponseDue.Before(s.ResolutionDue) {
		return s.ResponseDue
	}
	return s.ResolutionDue
}

// Overdue reports whether a pending due time has passed at now (exactly at
// the due time is still in time).
func (t *Ticket) Overdue(now time.Time) bool {
	due := t.NextDue()
	return !due.IsZero() && now.After(due)
}

// ResponseOverdue reports whether the first response is pending and late.
func (t *Ticket) ResponseOverdue(now time.Time) bool {
	s := t.sla
	return s.HasTargets && s.FirstResponseAt.IsZero() && t.status != StatusClosed && s.WaitingSince.IsZero() &&
		now.After(s.ResponseDue)
}

// ResolutionOverdue reports whether the resolution is pending and late.
func (t *Ticket) ResolutionOverdue(now time.Time) bool {
	s := t.sla
	return s.HasTargets && t.status != StatusClosed && s.WaitingSince.IsZero() && now.After(s.ResolutionDue)
}

// AskOwner stops the clock until the owner answers: staff asked them
// something. Only staff may; asking again, or on a closed ticket, changes
// nothing.
func (t *Ticket) AskOwner(by *User, now time.Time) error {
	if !by.IsStaff() {
		return ErrForbidden
	}
	if t.status == StatusClosed || !t.sla.WaitingSince.IsZero() {
		return nil
	}
	t.sla.WaitingSince = now.UTC()
	return nil
}

// targetsOnComment records a comment's meaning for the targets: a public
// staff comment is the first response; the owner's ends a pause.
func (t *Ticket) targetsOnComment(byStaff, byOwner, internal bool, now time.Time) {
	switch {
	case byStaff && !internal:
		t.respond(now)
	case byOwner && t.status != StatusClosed:
		t.endPause(now)
	}
}

// targetsOnStatus records a move for the targets: any move by staff is a
// response; closing decides the resolution and stops the clock; reopening
// undoes the resolution and restarts the clock, the closed time not
// counted.
func (t *Ticket) targetsOnStatus(byStaff bool, from, to Status, now time.Time) {
	now = now.UTC()
	if byStaff {
		t.respond(now)
	}
	switch {
	case to == StatusClosed:
		if !t.sla.WaitingSince.IsZero() {
			t.endPause(now) // the closing is measured with the pause deducted
		}
		t.sla.ResolvedAt = now
		if t.sla.HasTargets {
			met := !now.After(t.sla.ResolutionDue)
			t.sla.ResolutionMet = &met
		}
		t.sla.WaitingSince = now
	case from == StatusClosed:
		t.sla.ResolvedAt, t.sla.ResolutionMet = time.Time{}, nil
		t.endPause(now)
	}
}

// respond records the first response at now.
func (t *Ticket) respond(now time.Time) {
	if !t.sla.FirstResponseAt.IsZero() {
		return
	}
	now = now.UTC()
	t.sla.FirstResponseAt = now
	if t.sla.HasTargets {
		met := !now.After(t.sla.ResponseDue)
		t.sla.ResponseMet = &met
	}
}

// endPause restarts the clock, pushing the pending due times by the
// working time the pause lasted.
func (t *Ticket) endPause(now time.Time) {
	s := &t.sla
	if s.WaitingSince.IsZero() {
		return
	}
	paused := s.Calendar.Working(s.WaitingSince, now)
	s.WaitingSince = time.Time{}
	s.PausedSeconds += int64(paused / time.Second)
	if !s.HasTargets || paused <= 0 {
		return
	}
	if s.FirstResponseAt.IsZero() {
		s.ResponseDue = s.Calendar.Add(s.ResponseDue, paused).UTC()
	}
	if s.ResolvedAt.IsZero() {
		s.ResolutionDue = s.Calendar.Add(s.ResolutionDue, paused).UTC()
	}
}
