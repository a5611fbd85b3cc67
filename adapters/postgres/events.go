package postgres

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
type EventLog struct {
	db *sqlx.DB
}

// NewEventLog returns an EventLog over db.
func NewEventLog(db *sqlx.DB) *EventLog { return &EventLog{db: db} }

type eventRow struct {
	ID        int64     `db:"id"`
	Kind      string    `db:"kind"`
	Stream    string    `db:"stream"`
	Payload   []byte    `db:"payload"`
	CreatedAt time.Time `db:"created_at"`
}

func (r eventRow) toDomain() (domain.StoredEvent, error) {
	e, err := domain.DecodeEvent(r.Kind, r.Payload)
	if err != nil {
		return domain.StoredEvent{}, fmt.Errorf("event %d: %w", r.ID, err)
	}
	return domain.StoredEvent{ID: r.ID, Kind: r.Kind, Stream: r.Stream, Event: e, At: r.CreatedAt.UTC()}, nil
}

// insertEvents stores events in tx, with the aggregate they belong to.
func insertEvents(ctx context.Context, tx *sqlx.Tx, events []domain.Event) error {
	const q = `INSERT INTO events (kind, stream, payload, created_at) VALUES ($1, $2, $3, $4)`
	for _, e := range events {
		payload, err := domain.EncodeEvent(e)
		if err != nil {
			return fmt.Errorf("encode %s: %w", e.EventKind(), err)
		}
		if _, err := tx.ExecContext(ctx, q, e.EventKind(), e.StreamKey(), payload, ts(eventTime(payload))); err != nil {
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
		f.add("kind = ANY(?)", kinds)
	}
	if p.Before != 0 {
		f.add("id < ?", p.Before)
	}
	var rows []eventRow
	if err := l.db.SelectContext(ctx, &rows, q+f.where()+" ORDER BY id DESC LIMIT "+f.arg(p.Limit), f.args...); err != nil {
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
