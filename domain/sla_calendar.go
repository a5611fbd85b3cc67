package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Span is one range of working hours in a day, in minutes after midnight
// of the calendar's zone: [Start, End), End at most 24:00.
type Span struct{ Start, End int }

// Calendar says when the clock of a response target runs: always (24×7),
// or during the ranges of a weekly schedule in a time zone. The zero
// Calendar is 24×7.
type Calendar struct {
	loc  *time.Location
	week [7][]Span // by time.Weekday; empty everywhere: 24×7
}

// AllWeek is the 24×7 calendar.
var AllWeek = Calendar{}

// Validation codes of targets and calendars.
const (
	CodeOverlap     = "overlap"      // two ranges of one day overlap
	CodeUnknownZone = "unknown_zone" // not an IANA time zone
	CodeNotPositive = "not_positive" // zero or negative
	CodeNoHours     = "no_hours"     // business hours without a single range
	// CodeAfterResolution: the first response would be due after the
	// resolution.
	CodeAfterResolution = "after_resolution"
)

var weekdayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// IsAllWeek reports whether the clock always runs.
func (c Calendar) IsAllWeek() bool { return c.loc == nil }

// Zone returns the IANA name of the calendar's time zone, "" for 24×7.
func (c Calendar) Zone() string {
	if c.loc == nil {
		return ""
	}
	return c.loc.String()
}

// Spans returns a copy of the working ranges of day.
func (c Calendar) Spans(day time.Weekday) []Span { return slices.Clone(c.week[day]) }

// NewBusinessHours returns a calendar of week's ranges in zone. Errors, as
// ValidationErrors: "time_zone" unknown_zone, "schedule" invalid (a range
// that ends before it starts or past 24:00), overlap, no_hours.
func NewBusinessHours(zone string, week [7][]Span) (Calendar, error) {
	var errs ValidationErrors
	loc, err := LoadZone(zone)
	if err != nil {
		errs = append(errs, err.(ValidationError))
	}
	c := Calendar{loc: loc}
	total := 0
	for d := range week {
		spans := slices.Clone(week[d])
		slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
		for i, s := range spans {
			if s.Start < 0 || s.End > 24*60 || s.End <= s.Start {
				errs = append(errs, ValidationError{Field: "schedule", Code: CodeInvalid})
				return Calendar{}, errs
			}
			if i > 0 && s.Start < spans[i-1].End {
				errs = append(errs, ValidationError{Field: "schedule", Code: CodeOverlap})
				return Calendar{}, errs
			}
		}
		c.week[d] = spans
		total += len(spans)
	}
	if total == 0 {
		errs = append(errs, ValidationError{Field: "schedule", Code: CodeNoHours})
	}
	if len(errs) > 0 {
		return Calendar{}, errs
	}
	return c, nil
}

// LoadZone returns the IANA time zone named zone ("Europe/Berlin", "UTC"),
// or a ValidationError on "time_zone", unknown_zone. "Local" is refused:
// the server's zone is no place's.
func LoadZone(zone string) (*time.Location, error) {
	zone = strings.TrimSpace(zone)
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" || strings.EqualFold(zone, "local") {
		return nil, ValidationError{Field: "time_zone", Code: CodeUnknownZone}
	}
	return loc, nil
}

// ParseSchedule reads a weekly schedule written one range a line (or
// separated by ";"): "mon 09:00-18:00", "sat 10:00-14:00". Errors: a
// ValidationError on "schedule", invalid.
func ParseSchedule(s string) ([7][]Span, error) {
	var week [7][]Span
	bad := ValidationError{Field: "schedule", Code: CodeInvalid}
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ';' }) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 2 {
			return week, bad
		}
		day := slices.Index(weekdayNames[:], strings.ToLower(fields[0]))
		from, to, ok := strings.Cut(strings.ReplaceAll(fields[1], "–", "-"), "-")
		if day < 0 || !ok {
			return week, bad
		}
		start, err1 := parseClock(from)
		end, err2 := parseClock(to)
		if err1 != nil || err2 != nil {
			return week, bad
		}
		week[day] = append(week[day], Span{start, end})
	}
	return week, nil
}

// parseClock reads "09:00" (or "24:00") as minutes after midnight.
func parseClock(s string) (int, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("clock %q", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("clock %q", s)
	}
	return h*60 + m, nil
}

// Schedule writes the weekly ranges as ParseSchedule reads them, Monday
// first, one a line.
func (c Calendar) Schedule() string {
	var b strings.Builder
	for i := 1; i <= 7; i++ {
		d := i % 7
		for _, s := range c.week[d] {
			fmt.Fprintf(&b, "%s %02d:%02d-%02d:%02d\n", weekdayNames[d], s.Start/60, s.Start%60, s.End/60, s.End%60)
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// String is the stored form of the calendar: "24x7", or the zone and the
// schedule, "Europe/Berlin; mon 09:00-18:00; …". ParseCalendar reads it.
func (c Calendar) String() string {
	if c.IsAllWeek() {
		return "24x7"
	}
	return c.Zone() + "; " + strings.ReplaceAll(c.Schedule(), "\n", "; ")
}

// ParseCalendar reads what Calendar.String writes.
func ParseCalendar(s string) (Calendar, error) {
	if s == "24x7" || s == "" {
		return AllWeek, nil
	}
	zone, schedule, _ := strings.Cut(s, ";")
	week, err := ParseSchedule(schedule)
	if err != nil {
		return Calendar{}, err
	}
	return NewBusinessHours(zone, week)
}

// Add returns the moment at which d of working time has passed since
// start. Business hours follow the wall clock of the zone, so a day when
// the clocks change still has its hours 09:00–18:00.
func (c Calendar) Add(start time.Time, d time.Duration) time.Time {
	if c.IsAllWeek() {
		return start.Add(d)
	}
	at := start.In(c.loc)
	// A schedule has at least one range a week: the loop ends. The bound
	// is a guard against a calendar built by hand with none.
	for day := 0; day < 100*366; day++ {
		y, m, dd := at.Date()
		date := time.Date(y, m, dd+day, 0, 0, 0, 0, c.loc)
		for _, s := range c.week[date.Weekday()] {
			from, to := c.clock(date, s.Start), c.clock(date, s.End)
			if from.Before(at) {
				from = at
			}
			if !to.After(from) {
				continue
			}
			if left := to.Sub(from); d <= left {
				return from.Add(d).UTC()
			} else {
				d -= left
			}
		}
	}
	return time.Time{}
}

// Working returns the working time between from and to (zero when to is
// not after from).
func (c Calendar) Working(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if c.IsAllWeek() {
		return to.Sub(from)
	}
	var sum time.Duration
	at := from.In(c.loc)
	y, m, dd := at.Date()
	for day := 0; ; day++ {
		date := time.Date(y, m, dd+day, 0, 0, 0, 0, c.loc)
		if !date.Before(to) {
			return sum
		}
		for _, s := range c.week[date.Weekday()] {
			a, b := c.clock(date, s.Start), c.clock(date, s.End)
			if a.Before(from) {
				a = from
			}
			if b.After(to) {
				b = to
			}
			if b.After(a) {
				sum += b.Sub(a)
			}
		}
	}
}

// clock returns the moment minutes after the midnight of date, on the wall
// clock of the zone (24:00 is the next midnight).
func (c Calendar) clock(date time.Time, minutes int) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d, minutes/60, minutes%60, 0, 0, c.loc)
}
