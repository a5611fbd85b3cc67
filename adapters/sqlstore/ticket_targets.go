package sqlstore

import (
	"database/sql"
	"sync"
	"sync/atomic"

	"crm/domain"
)

// targetColumns are the columns of a ticket's response targets, in the
// order of targetsRow.dest and targetArgs; every ticket read and write
// carries them after the ticket's own columns.
const targetColumns = `t.response_due_at, t.resolution_due_at, t.first_response_at, t.resolved_at,
	t.response_met, t.resolution_met, t.waiting_since, t.paused_seconds, t.next_due_at, t.sla_calendar`

// targetNames are targetColumns without the table's alias, for INSERT and
// UPDATE.
const targetNames = `response_due_at, resolution_due_at, first_response_at, resolved_at,
	response_met, resolution_met, waiting_since, paused_seconds, next_due_at, sla_calendar`

// targetsRow is a ticket's response targets as stored.
type targetsRow struct {
	ResponseDue     timestamp
	ResolutionDue   timestamp
	FirstResponseAt timestamp
	ResolvedAt      timestamp
	ResponseMet     sql.NullBool
	ResolutionMet   sql.NullBool
	WaitingSince    timestamp
	PausedSeconds   int64
	NextDue         timestamp // written from the ticket, never read back
	Calendar        sql.NullString
}

func (r *targetsRow) dest() []any {
	return []any{&r.ResponseDue, &r.ResolutionDue, &r.FirstResponseAt, &r.ResolvedAt,
		&r.ResponseMet, &r.ResolutionMet, &r.WaitingSince, &r.PausedSeconds, &r.NextDue, &r.Calendar}
}

// toDomain returns the stored targets. A calendar that no longer parses
// (a time zone the system lost) counts around the clock rather than
// making the ticket unreadable.
func (r targetsRow) toDomain() domain.TicketTargets {
	s := domain.TicketTargets{
		HasTargets: r.Calendar.Valid, ResponseDue: r.ResponseDue.Time, ResolutionDue: r.ResolutionDue.Time,
		FirstResponseAt: r.FirstResponseAt.Time, ResolvedAt: r.ResolvedAt.Time,
		ResponseMet: nullBoolPtr(r.ResponseMet), ResolutionMet: nullBoolPtr(r.ResolutionMet),
		WaitingSince: r.WaitingSince.Time, PausedSeconds: r.PausedSeconds,
	}
	if r.Calendar.Valid {
		if cal, err := parseCalendar(r.Calendar.String); err == nil {
			s.Calendar = cal
		}
	}
	return s
}

// calendars are the calendars parsed so far, by their stored form: a list
// page reads a calendar per row, and business hours load their time zone
// from the system's database, while the desk has a handful of calendars.
var calendars sync.Map // string → domain.Calendar

// calendarCacheMax bounds calendars; past it, calendars are parsed again.
const calendarCacheMax = 1000

var calendarCount atomic.Int64

// parseCalendar is domain.ParseCalendar through the calendars cache.
func parseCalendar(s string) (domain.Calendar, error) {
	if c, ok := calendars.Load(s); ok {
		return c.(domain.Calendar), nil
	}
	c, err := domain.ParseCalendar(s)
	if err == nil && calendarCount.Load() < calendarCacheMax {
		if _, loaded := calendars.LoadOrStore(s, c); !loaded {
			calendarCount.Add(1)
		}
	}
	return c, err
}

// targetArgs are the stored columns of t's targets, in targetNames' order.
func targetArgs(t *domain.Ticket) []any {
	s := t.Targets()
	calendar := sql.NullString{String: s.Calendar.String(), Valid: s.HasTargets}
	return []any{s.ResponseDue, s.ResolutionDue, s.FirstResponseAt, s.ResolvedAt,
		boolPtrArg(s.ResponseMet), boolPtrArg(s.ResolutionMet), s.WaitingSince, s.PausedSeconds, t.NextDue(), calendar}
}

func nullBoolPtr(b sql.NullBool) *bool {
	if !b.Valid {
		return nil
	}
	v := b.Bool
	return &v
}

func boolPtrArg(b *bool) sql.NullBool {
	if b == nil {
		return sql.NullBool{}
	}
	return sql.NullBool{Bool: *b, Valid: true}
}
