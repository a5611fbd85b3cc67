package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"time"

	"crm/application"
	"crm/domain"
)

var _ application.SLAPolicies = (*SLAPolicies)(nil)

// SLAPolicies stores the response targets per ticket type, one row a type.
// Every submission reads them, and they change a few times a year: what
// was read is kept for policiesFresh, and a policy saved through the same
// SLAPolicies is read at once.
type SLAPolicies struct {
	s *Store

	policies kept[map[domain.TicketType]domain.SLAPolicy]
}

// policiesFresh is how long Policies answers from what it read last. A
// policy saved by another replica applies to the tickets this one files
// at most that long after; one saved through this SLAPolicies, at once.
const policiesFresh = time.Second

// NewSLAPolicies returns SLAPolicies over s.
func NewSLAPolicies(s *Store) *SLAPolicies {
	return &SLAPolicies{s: s, policies: kept[map[domain.TicketType]domain.SLAPolicy]{
		fresh: policiesFresh, clone: maps.Clone[map[domain.TicketType]domain.SLAPolicy]}}
}

type slaPolicyRow struct {
	Type       string    `db:"type"`
	Response   int64     `db:"response_seconds"`
	Resolution int64     `db:"resolution_seconds"`
	Calendar   string    `db:"calendar"`
	UpdatedAt  timestamp `db:"updated_at"`
}

// Policies returns the stored policies by type. A row the domain no longer
// accepts (an unknown type, a zone the system lost) is left out: its type
// falls back to the defaults rather than stopping every new ticket.
func (s *SLAPolicies) Policies(ctx context.Context) (map[domain.TicketType]domain.SLAPolicy, error) {
	return s.policies.load("", func() (map[domain.TicketType]domain.SLAPolicy, error) { return s.read(ctx) })
}

// read reads the stored policies (see Policies).
func (s *SLAPolicies) read(ctx context.Context) (map[domain.TicketType]domain.SLAPolicy, error) {
	const q = `SELECT type, response_seconds, resolution_seconds, calendar, updated_at FROM sla_policies`
	var rows []slaPolicyRow
	if err := s.s.sel(ctx, nil, &rows, q); err != nil {
		return nil, fmt.Errorf("select response targets: %w", err)
	}
	out := make(map[domain.TicketType]domain.SLAPolicy, len(rows))
	for _, r := range rows {
		typ, err := domain.ParseTicketType(r.Type)
		if err != nil {
			continue
		}
		cal, err := domain.ParseCalendar(r.Calendar)
		if err != nil {
			continue
		}
		p, err := domain.NewSLAPolicy(typ, time.Duration(r.Response)*time.Second, time.Duration(r.Resolution)*time.Second, cal)
		if err != nil {
			continue
		}
		out[typ] = p
	}
	return out, nil
}

// SavePolicy stores p as its type's policy.
func (s *SLAPolicies) SavePolicy(ctx context.Context, p domain.SLAPolicy, now time.Time) error {
	const q = `INSERT INTO sla_policies (type, response_seconds, resolution_seconds, calendar, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (type) DO UPDATE SET response_seconds = excluded.response_seconds,
			resolution_seconds = excluded.resolution_seconds, calendar = excluded.calendar, updated_at = excluded.updated_at`
	// Forget what was read once the write is over: a read under way
	// meanwhile is not kept (kept.load), one kept before is dropped.
	defer s.policies.forget()
	_, err := s.s.exec(ctx, nil, q, p.Type.String(), int64(p.Response/time.Second), int64(p.Resolution/time.Second),
		p.Calendar.String(), now)
	if err != nil {
		return fmt.Errorf("save response targets of %s: %w", p.Type, err)
	}
	return nil
}
