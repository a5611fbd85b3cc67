package web

import (
	"time"

	"crm/adapters/i18n"
	"crm/domain"
)

// targetsView is what a ticket page says of its response targets, in the
// reader's language.
type targetsView struct {
	Has        bool // the ticket was filed under targets
	Response   dueView
	Resolution dueView
	// Waiting: staff asked the owner and the clock is stopped until they
	// answer.
	Waiting      bool
	WaitingSince moment
}

// dueView is one target: when it is due and how it stands.
type dueView struct {
	Due moment
	// State is "met", "missed", "overdue", "pending" or "paused".
	State string
	Label string // State in words
}

// newTargetsView describes t's targets at now in lang.
func newTargetsView(lang string, t *domain.Ticket, now time.Time) targetsView {
	s := t.Targets()
	v := targetsView{Has: s.HasTargets, Waiting: t.WaitingForOwner()}
	if v.Waiting {
		v.WaitingSince = newMoment(lang, s.WaitingSince, now)
	}
	if !s.HasTargets {
		return v
	}
	paused := !s.WaitingSince.IsZero() && t.Status() != domain.StatusClosed
	v.Response = newDueView(lang, s.ResponseDue, s.ResponseMet, paused, t.ResponseOverdue(now), now)
	v.Resolution = newDueView(lang, s.ResolutionDue, s.ResolutionMet, paused, t.ResolutionOverdue(now), now)
	if t.Status() == domain.StatusClosed && s.ResponseMet == nil {
		v.Response.State, v.Response.Label = "", ""
	}
	return v
}

func newDueView(lang string, due time.Time, met *bool, paused, overdue bool, now time.Time) dueView {
	v := dueView{Due: dueMoment(lang, due, now)}
	switch {
	case met != nil && *met:
		v.State = "met"
	case met != nil:
		v.State = "missed"
	case paused:
		v.State = "paused"
	case overdue:
		v.State = "overdue"
	default:
		v.State = "pending"
	}
	v.Label = i18n.Message(lang, "sla.state_"+v.State)
	return v
}

// dueMoment is a due time for the "time" template: "in 3 hours" ahead,
// "3 hours ago" past.
func dueMoment(lang string, due, now time.Time) moment {
	m := newMoment(lang, due, now)
	d := due.Sub(now)
	// Rounded to the nearest unit: a target of 4 hours set a moment ago
	// reads "in 4 hours".
	round := func(unit time.Duration) int { return int((d + unit/2) / unit) }
	switch {
	case d <= 0:
	case d < time.Hour-30*time.Second:
		m.Ago = i18n.Plural(lang, "sla.in_minutes", max(1, round(time.Minute)))
	case d < 24*time.Hour-30*time.Minute:
		m.Ago = i18n.Plural(lang, "sla.in_hours", round(time.Hour))
	case d < 30*24*time.Hour:
		m.Ago = i18n.Plural(lang, "sla.in_days", round(24*time.Hour))
	default:
		m.Ago = due.UTC().Format("2006-01-02")
	}
	return m
}

// dueCell is the queue's due column of one ticket: the pending due time,
// and whether it has passed or the clock waits for the owner.
type dueCell struct {
	Due     moment // zero ISO: nothing pending
	Overdue bool
	Waiting bool
}

func newDueCell(lang string, t *domain.Ticket, now time.Time) dueCell {
	c := dueCell{Overdue: t.Overdue(now), Waiting: t.WaitingForOwner()}
	if due := t.NextDue(); !due.IsZero() {
		c.Due = dueMoment(lang, due, now)
	}
	return c
}

// html writes the cell's content, escaped, with the labels l.
func (c dueCell) html(l rowLabels) string {
	var out string
	if c.Due.ISO != "" {
		out = `<time datetime="` + escapeHTML(c.Due.ISO) + `" title="` + escapeHTML(c.Due.Exact) + `">` +
			escapeHTML(c.Due.Ago) + `</time>`
	}
	if c.Overdue {
		out += ` <span class="badge sla-overdue">` + l.overdue + `</span>`
	}
	if c.Waiting {
		out += `<span class="muted">` + l.waiting + `</span>`
	}
	if out == "" {
		out = `<span class="muted">—</span>`
	}
	return out
}
