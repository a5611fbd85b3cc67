package memory

import (
	"context"

	"crm/application"
)

var _ application.LiveEvents = (*EventStore)(nil)

// LastEventID returns the id of the newest event, 0 when none.
func (s *EventStore) LastEventID(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.events); n > 0 {
		return s.events[n-1].id, nil
	}
	return 0, nil
}

// EventsAfter returns up to limit events with ids above after, oldest
// first.
func (s *EventStore) EventsAfter(_ context.Context, after int64, limit int) ([]application.OutboxEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []application.OutboxEvent
	for _, e := range s.events {
		if len(out) == limit {
			break
		}
		if e.id > after {
			out = append(out, toOutboxEvent(e))
		}
	}
	return out, nil
}
