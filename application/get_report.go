package application

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"crm/domain"
)

// Report periods: the default is the last DefaultReportDays days, today
// included; a period longer than MaxReportDays is refused, so that a
// report stays one screen of bars and one cheap range of stored days.
const (
	DefaultReportDays = 30
	MaxReportDays     = 366
)

// Validation codes of a report period, on the fields "from" and "to".
const (
	CodeReportBeforeStart = "before_start" // to: the end is before the start
	CodeReportTooLong     = "too_long"     // to: more than MaxReportDays days
)

// dateLayout is how a report period's dates are written: 2026-03-01.
const dateLayout = "2006-01-02"

// GetReport asks for the report of a period of whole UTC days, From to To
// both included, written 2006-01-02; empty means the default period.
type GetReport struct {
	Actor *domain.User
	From  string
	To    string
}

// Report is what staff see of a period.
type Report struct {
	First, Last time.Time // the period's first and last day, midnights UTC
	// Days are every day of the period, oldest first, empty ones included,
	// so that a chart shows a gap where nothing happened.
	Days         []ReportDay
	Total        ReportLine
	ByType       []ReportLine // one per ticket type, in domain order
	ByAssignee   []ReportLine // one per assignee with a closing, a rating, a response or a resolution, by name; nobody last
	RatingsGiven int
	// Response and Resolution are the median and 90th percentile of the
	// period's first-response and resolution times (Count 0: none).
	Response, Resolution Percentiles
}

// Percentiles are the median and 90th percentile of Count times, each
// within 2.5% (see DurationBucket).
type Percentiles struct {
	Count  int
	Median time.Duration
	P90    time.Duration
}

// percentiles reads the median and 90th percentile off counted buckets,
// by nearest rank: the p-th of n times is the ceil(p*n)-th smallest.
func percentiles(counts []DurationCount) Percentiles {
	counts = slices.Clone(counts)
	slices.SortFunc(counts, func(a, b DurationCount) int { return a.Bucket - b.Bucket })
	var p Percentiles
	for _, c := range counts {
		p.Count += c.N
	}
	if p.Count == 0 {
		return p
	}
	at := func(q float64) time.Duration {
		rank := int(math.Ceil(q * float64(p.Count)))
		seen := 0
		for _, c := range counts {
			if seen += c.N; seen >= rank {
				return BucketDuration(c.Bucket)
			}
		}
		return BucketDuration(counts[len(counts)-1].Bucket)
	}
	p.Median, p.P90 = at(0.5), at(0.9)
	return p
}

// ReportLine is the figures of one type, one assignee, or of everything.
type ReportLine struct {
	Type       domain.TicketType // for a line of ByType
	AssigneeID int64             // for a line of ByAssignee (0: nobody)
	Name       string            // the assignee's name for a line of ByAssignee
	Opened     int
	Closed     int
	Ratings    int
	// AverageRating is the mean of the ratings given, 0 when there is none.
	AverageRating float64
	// Responses and Resolutions are counted with their mean time from the
	// ticket's creation, and the share of those with a target that met it
	// (Judged 0: no share).
	Responses, Resolutions          Measured
	ratingSum                       int
	responseSeconds, resolutionSecs int64
}

// Measured is how many times were measured, their mean, and how many of
// those with a target met it.
type Measured struct {
	Count  int
	Mean   time.Duration
	Judged int
	Met    int
}

// Share is the part of the judged times that met their target, 0 to 1.
func (m Measured) Share() float64 {
	if m.Judged == 0 {
		return 0
	}
	return float64(m.Met) / float64(m.Judged)
}

func (m *Measured) add(n int, seconds *int64, more int64, judged, met int) {
	m.Count += n
	*seconds += more
	m.Judged += judged
	m.Met += met
	m.Mean = 0
	if m.Count > 0 {
		m.Mean = time.Duration(*seconds/int64(m.Count)) * time.Second
	}
}

func (l *ReportLine) add(g ReportGroup) {
	l.Opened += g.Opened
	l.Closed += g.Closed
	l.Ratings += g.RatingCount
	l.ratingSum += g.RatingSum
	if l.Ratings > 0 {
		l.AverageRating = float64(l.ratingSum) / float64(l.Ratings)
	}
	l.Responses.add(g.Responses, &l.responseSeconds, g.ResponseSeconds, g.ResponsesJudged, g.ResponsesMet)
	l.Resolutions.add(g.Resolutions, &l.resolutionSecs, g.ResolutionSeconds, g.ResolutionsJudged, g.ResolutionsMet)
}

type GetReportHandler struct {
	reports Reports
	clock   Clock
}

func NewGetReportHandler(reports Reports, clock Clock) GetReportHandler {
	return GetReportHandler{reports: reports, clock: clock}
}

// Handle returns the report of the period. Errors: ErrForbidden for
// non-staff; domain.ValidationErrors on "from" or "to" for a date that is
// not one (CodeInvalid), an end before the start (CodeReportBeforeStart)
// or a period over MaxReportDays days (CodeReportTooLong), before
// anything is read.
func (h GetReportHandler) Handle(ctx context.Context, q GetReport) (Report, error) {
	if !q.Actor.IsStaff() {
		return Report{}, domain.ErrForbidden
	}
	first, last, err := h.Period(q.From, q.To)
	if err != nil {
		return Report{}, err
	}
	figures, err := h.reports.ReportFigures(ctx, first, last)
	if err != nil {
		return Report{}, err
	}
	return buildReport(first, last, figures), nil
}

// Period reads a report period, filling in the defaults: the last
// DefaultReportDays days up to today, or DefaultReportDays days from or
// to the one date given. Errors as Handle's.
func (h GetReportHandler) Period(from, to string) (first, last time.Time, err error) {
	var errs domain.ValidationErrors
	parse := func(field, s string) time.Time {
		s = strings.TrimSpace(s)
		if s == "" {
			return time.Time{}
		}
		d, err := time.Parse(dateLayout, s)
		if err != nil {
			errs = append(errs, domain.ValidationError{Field: field, Code: domain.CodeInvalid})
		}
		return d
	}
	first, last = parse("from", from), parse("to", to)
	if len(errs) > 0 {
		return time.Time{}, time.Time{}, errs
	}
	const day = 24 * time.Hour
	switch {
	case first.IsZero() && last.IsZero():
		last = h.clock.Now().UTC().Truncate(day)
		first = last.AddDate(0, 0, -(DefaultReportDays - 1))
	case first.IsZero():
		first = last.AddDate(0, 0, -(DefaultReportDays - 1))
	case last.IsZero():
		last = first.AddDate(0, 0, DefaultReportDays-1)
	}
	if last.Before(first) {
		return time.Time{}, time.Time{}, domain.ValidationErrors{{Field: "to", Code: CodeReportBeforeStart}}
	}
	if days := int(last.Sub(first)/day) + 1; days > MaxReportDays {
		return time.Time{}, time.Time{}, domain.ValidationErrors{{Field: "to", Code: CodeReportTooLong}}
	}
	return first, last, nil
}

// buildReport lays the stored figures out: every day of the period, and
// the lines by type and by assignee.
func buildReport(first, last time.Time, f ReportFigures) Report {
	r := Report{First: first, Last: last}
	byDay := map[time.Time]ReportDay{}
	for _, d := range f.Days {
		byDay[d.Day.UTC()] = d
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		day := byDay[d]
		day.Day = d
		r.Days = append(r.Days, day)
	}
	types := map[domain.TicketType]*ReportLine{}
	for _, t := range domain.TicketTypes() {
		types[t] = &ReportLine{Type: t}
	}
	assignees := map[int64]*ReportLine{}
	for _, g := range f.Groups {
		r.Total.add(g)
		if l, ok := types[g.Type]; ok {
			l.add(g)
		}
		if g.Closed == 0 && g.RatingCount == 0 && g.Responses == 0 && g.Resolutions == 0 {
			continue // only openings: a new ticket has nobody yet
		}
		l := assignees[g.AssigneeID]
		if l == nil {
			l = &ReportLine{AssigneeID: g.AssigneeID, Name: g.AssigneeName}
			assignees[g.AssigneeID] = l
		}
		// Opened stays out of the assignee lines: see ReportGroup.
		g.Opened = 0
		l.add(g)
	}
	r.RatingsGiven = r.Total.Ratings
	r.Response, r.Resolution = percentiles(f.ResponseTimes), percentiles(f.ResolutionTimes)
	for _, t := range domain.TicketTypes() {
		r.ByType = append(r.ByType, *types[t])
	}
	for _, l := range assignees {
		r.ByAssignee = append(r.ByAssignee, *l)
	}
	slices.SortFunc(r.ByAssignee, func(a, b ReportLine) int {
		if (a.AssigneeID == 0) != (b.AssigneeID == 0) {
			if a.AssigneeID == 0 {
				return 1
			}
			return -1
		}
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return int(a.AssigneeID - b.AssigneeID)
	})
	return r
}
