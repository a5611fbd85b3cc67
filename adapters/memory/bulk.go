package memory

import (
	"context"
	"fmt"

	"crm/domain"
)

// AddMany stores ts with their history and comments, but not their events,
// and sets their ids in order. Nothing is stored when a ticket is already
// stored or given twice.
func (s *Tickets) AddMany(_ context.Context, ts []*domain.Ticket) error {
	seen := make(map[*domain.Ticket]bool, len(ts))
	for _, t := range ts {
		if t.ID() != 0 {
			return fmt.Errorf("add ticket %d: already stored", t.ID())
		}
		if seen[t] {
			return fmt.Errorf("add tickets: %q given twice", t.Title())
		}
		seen[t] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range ts {
		s.nextID++
		t.SetID(s.nextID)
		s.store(t)
	}
	return nil
}
