package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"crm/application"
	"crm/domain"
)

var _ application.EventLog = (*EventLog)(nil)

// EventLog reads the stored events back.
type EventLog struct{ s *Store }

// NewEventLog returns an EventLog over s.
func NewEventLog(s *Store) *EventLog { return &EventLog{s: s} }

// eventRow is a stored event. The payload is JSON: TEXT checked by
// json_valid on SQLite, JSONB on PostgreSQL; both read and write it as a
// string.
type eventRow struct {
	ID        int64     `db:"id"`
	Kind      string    `db:"kind"`
	Stream    string    `db:"stream"`
	Payload   string    `db:"payload"`
	CreatedAt timestamp `db:"created_at"`
}

func (r eventRow) toDomain() (domain.StoredEvent, error) {
	e, err := domain.DecodeEvent(r.Kind, []byte(r.Payload))
	if err != nil {
		return domain.StoredEvent{}, fmt.Errorf("event %d: %w", r.ID, err)
	}
	return domain.StoredEvent{ID: r.ID, Kind: r.Kind, Stream: r.Stream, Event: e, At: r.CreatedAt.Time}, nil
}

// insertEvent stores one event.
const insertEvent = `INSERT INTO events (kind, stream, payload, created_at) VALUES (?, ?, ?, ?)`

// insertEvents stores events in tx, with the aggregate they belong to.
func (s *Store) insertEvents(ctx context.Context, tx *sqlx.Tx, events []domain.Event) error {
	for _, e := range events {
		payload, err := domain.EncodeEvent(e)
		if err != nil {
			return fmt.Errorf("encode %s: %w", e.EventKind(), err)
		}
		if _, err := s.exec(ctx, tx, insertEvent, e.EventKind(), e.StreamKey(), string(payload), eventTime(payload)); err != nil {
			return fmt.Errorf("insert %s: %w", e.EventKind(), err)
		}
	}
	return nil
}

// eventTime reads the "at" field every event carries, so the stored time is
// the domain's clock; an event without one is stamped now.
func eventTime(payload []byte) time.Time {
	var v struct {
		At time.Time `json:"at"`
	}
	if err := json.Unmarshal(payload, &v); err != nil || v.At.IsZero() {
		return time.Now()
	}
	return v.At
}

// ListEvents returns up to limit events of the given kinds (every kind when
// kinds is empty) with ids below before (0: from the newest), newest first.
func (l *EventLog) ListEvents(ctx context.Context, kinds []string, before int64, limit int) ([]domain.StoredEvent, error) {
	const q = `SELECT id, kind, stream, payload, created_at FROM events`
	p := application.Page{Before: before, Limit: limit}.Normalized()
	var f filter
	if len(kinds) > 0 {
		args := make([]any, len(kinds))
		for i, k := range kinds {
			args[i] = k
		}
		f.add("kind IN ("+marks(len(kinds))+")", args...)
	}
	if p.Before != 0 {
		f.add("id < ?", p.Before)
	}
	var rows []eventRow
	if err := l.s.sel(ctx, nil, &rows, q+f.where()+" ORDER BY id DESC LIMIT ?", append(f.args, p.Limit)...); err != nil {
		return nil, fmt.Errorf("select events: %w", err)
	}
	out := make([]domain.StoredEvent, 0, len(rows))
	for _, r := range rows {
		e, err := r.toDomain()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
