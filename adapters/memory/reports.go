package memory

import (
	"context"
	"slices"
	"time"

	"crm/application"
	"crm/domain"
)

var _ application.Reports = (*Reports)(nil)

// Reports computes the figures of reports from the tickets in memory,
// reading them all: the SQL adapter keeps them per day instead.
type Reports struct {
	tickets *Tickets
}

// NewReports returns the reports over tickets.
func NewReports(tickets *Tickets) *Reports { return &Reports{tickets: tickets} }

// ReportFigures counts, for the UTC days first to last: tickets created
// (by type, under nobody), closings (under the ticket's assignee) and the
// current ratings given, by the day each happened.
func (r *Reports) ReportFigures(_ context.Context, first, last time.Time) (application.ReportFigures, error) {
	const day = 24 * time.Hour
	end := last.Add(day)
	in := func(t time.Time) bool { return !t.Before(first) && t.Before(end) }
	days := map[time.Time]*application.ReportDay{}
	dayOf := func(t time.Time) *application.ReportDay {
		d := t.UTC().Truncate(day)
		if days[d] == nil {
			days[d] = &application.ReportDay{Day: d}
		}
		return days[d]
	}
	type key struct {
		typ      domain.TicketType
		assignee int64
	}
	groups := map[key]*application.ReportGroup{}
	group := func(t *domain.Ticket, assignee int64) *application.ReportGroup {
		k := key{t.Type(), assignee}
		if groups[k] == nil {
			groups[k] = &application.ReportGroup{Type: t.Type(), AssigneeID: assignee}
			if assignee != 0 {
				groups[k].AssigneeName = t.AssigneeName()
			}
		}
		return groups[k]
	}
	r.tickets.mu.Lock()
	defer r.tickets.mu.Unlock()
	for _, t := range r.tickets.byID {
		if at := micro(t.CreatedAt()); in(at) {
			dayOf(at).Opened++
			group(t, 0).Opened++
		}
		for _, h := range t.History() {
			if at := micro(h.At); h.To == domain.StatusClosed && in(at) {
				dayOf(at).Closed++
				group(t, t.AssigneeID()).Closed++
			}
		}
		if at := micro(t.RatedAt()); t.Rating() != 0 && in(at) {
			g := group(t, t.AssigneeID())
			g.RatingSum += t.Rating()
			g.RatingCount++
		}
	}
	var f application.ReportFigures
	for _, d := range days {
		f.Days = append(f.Days, *d)
	}
	slices.SortFunc(f.Days, func(a, b application.ReportDay) int { return a.Day.Compare(b.Day) })
	for _, g := range groups {
		f.Groups = append(f.Groups, *g)
	}
	return f, nil
}
