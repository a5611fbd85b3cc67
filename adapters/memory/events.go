package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"crm/application"
	"crm/domain"
)

var _ application.EventLog = (*EventStore)(nil)

// storedEvent is an event as the outbox keeps it: encoded, like the SQL
// adapters keep it, so that a value that does not survive a round trip
// fails here too.
type storedEvent struct {
	id      int64
	kind    string
	stream  string
	payload []byte
	at      time.Time
}

// EventStore is the in-memory outbox shared by Users and Tickets; it
// implements application.EventLog.
type EventStore struct {
	mu     sync.Mutex
	events []storedEvent // in id order
	nextID int64
}

// NewEventStore returns an empty EventStore.
func NewEventStore() *EventStore { return &EventStore{} }

// encodeEvents turns events into stored rows without ids, or fails on an
// event that does not encode; nothing is stored then.
func encodeEvents(events []domain.Event) ([]storedEvent, error) {
	out := make([]storedEvent, 0, len(events))
	for _, e := range events {
		payload, err := domain.EncodeEvent(e)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", e.EventKind(), err)
		}
		out = append(out, storedEvent{kind: e.EventKind(), stream: e.StreamKey(), payload: payload, at: eventTime(payload)})
	}
	return out, nil
}

// eventTime reads the "at" field every event carries, so the stored time is
// the domain's clock; an event without one is stamped now.
func eventTime(payload []byte) time.Time {
	var v struct {
		At time.Time `json:"at"`
	}
	if err := json.Unmarshal(payload, &v); err != nil || v.At.IsZero() {
		return micro(time.Now())
	}
	return micro(v.At)
}

// append stores encoded events, giving them ids.
func (s *EventStore) append(events []storedEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range events {
		s.nextID++
		e.id = s.nextID
		s.events = append(s.events, e)
	}
}

// ListEvents returns up to limit events of the given kinds (every kind when
// kinds is empty) with ids below before (0: from the newest), newest first.
// It fails only on a stored payload that no longer decodes.
func (s *EventStore) ListEvents(_ context.Context, kinds []string, before int64, limit int) ([]domain.StoredEvent, error) {
	p := application.Page{Before: before, Limit: limit}.Normalized()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []domain.StoredEvent
	for i := len(s.events) - 1; i >= 0 && len(out) < p.Limit; i-- {
		e := s.events[i]
		if p.Before != 0 && e.id >= p.Before {
			continue
		}
		if len(kinds) > 0 && !slices.Contains(kinds, e.kind) {
			continue
		}
		ev, err := domain.DecodeEvent(e.kind, e.payload)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", e.id, err)
		}
		out = append(out, domain.StoredEvent{ID: e.id, Kind: e.kind, Stream: e.stream, Event: ev, At: e.at})
	}
	return out, nil
}

// micro is the precision every adapter keeps: UTC, whole microseconds.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
