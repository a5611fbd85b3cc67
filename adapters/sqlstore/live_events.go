package sqlstore

import (
	"context"
	"fmt"

	"crm/application"
)

var _ application.LiveEvents = (*LiveEvents)(nil)

// LiveEvents reads new events for the live pages, by the events table's
// primary key.
type LiveEvents struct{ s *Store }

// NewLiveEvents returns LiveEvents over s.
func NewLiveEvents(s *Store) *LiveEvents { return &LiveEvents{s: s} }

// LastEventID returns the id of the newest event, 0 when none.
func (l *LiveEvents) LastEventID(ctx context.Context) (int64, error) {
	return NewOutbox(l.s).LastEventID(ctx)
}

// EventsAfter returns up to limit events with ids above after, oldest
// first.
func (l *LiveEvents) EventsAfter(ctx context.Context, after int64, limit int) ([]application.OutboxEvent, error) {
	const q = `SELECT id, kind, stream, payload, created_at FROM events WHERE id > ? ORDER BY id LIMIT ?`
	var rows []eventRow
	if err := l.s.sel(ctx, nil, &rows, q, after, limit); err != nil {
		return nil, fmt.Errorf("select events after %d: %w", after, err)
	}
	out := make([]application.OutboxEvent, len(rows))
	for i, r := range rows {
		out[i] = application.OutboxEvent{ID: r.ID, Kind: r.Kind, Stream: r.Stream, Payload: []byte(r.Payload), At: r.CreatedAt.Time}
	}
	return out, nil
}
