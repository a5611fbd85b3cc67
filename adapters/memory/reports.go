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
	responses, resolutions := map[int]int{}, map[int]int{}
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
		sla := t.Targets()
		if at := micro(sla.FirstResponseAt); !at.IsZero() && in(at) {
			g, s := group(t, t.AssigneeID()), seconds(t.CreatedAt(), at)
			g.Responses++
			g.ResponseSeconds += s
			g.ResponsesJudged, g.ResponsesMet = g.ResponsesJudged+judged(sla.ResponseMet), g.ResponsesMet+met(sla.ResponseMet)
			responses[application.DurationBucket(s)]++
		}
		if at := micro(sla.ResolvedAt); !at.IsZero() && in(at) {
			g, s := group(t, t.AssigneeID()), seconds(t.CreatedAt(), at)
			g.Resolutions++
			g.ResolutionSeconds += s
			g.ResolutionsJudged, g.ResolutionsMet = g.ResolutionsJudged+judged(sla.ResolutionMet), g.ResolutionsMet+met(sla.ResolutionMet)
			resolutions[application.DurationBucket(s)]++
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
	for b, n := range responses {
		f.ResponseTimes = append(f.ResponseTimes, application.DurationCount{Bucket: b, N: n})
	}
	for b, n := range resolutions {
		f.ResolutionTimes = append(f.ResolutionTimes, application.DurationCount{Bucket: b, N: n})
	}
	return f, nil
}

// seconds are the whole seconds from a to b, as the SQL store counts them.
func seconds(a, b time.Time) int64 { return int64(micro(b).Sub(micro(a)) / time.Second) }

func judged(met *bool) int {
	if met == nil {
		return 0
	}
	return 1
}

func met(m *bool) int {
	if m == nil || !*m {
		return 0
	}
	return 1
}
