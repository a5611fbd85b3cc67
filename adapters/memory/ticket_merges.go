package memory

import (
	"context"
	"fmt"

	"crm/domain"
)

// Merge calls fn on copies of the tickets dupID and intoID and stores both
// and their events; the files of the duplicate are then kept as intoID's.
// An error from fn changes nothing and is returned; ErrTicketNotFound
// when there is no ticket dupID, ErrMergeTargetNotFound when there is no
// ticket intoID.
func (s *Tickets) Merge(_ context.Context, dupID, intoID int64, fn func(dup, into *domain.Ticket) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	storedDup, ok := s.byID[dupID]
	if !ok {
		return domain.ErrTicketNotFound
	}
	storedInto, ok := s.byID[intoID]
	if !ok {
		return domain.ErrMergeTargetNotFound
	}
	dup, into := copyTicket(storedDup, true), copyTicket(storedInto, true)
	if dupID == intoID {
		into = dup
	}
	if err := fn(dup, into); err != nil {
		return err
	}
	if dupID == intoID {
		return fmt.Errorf("merge ticket %d into itself", dupID)
	}
	events, err := encodeEvents(append(dup.Events(), into.Events()...))
	if err != nil {
		return fmt.Errorf("merge ticket %d into %d: %w", dupID, intoID, err)
	}
	for id, f := range s.files.byID {
		if f.ticketID == dupID {
			f.ticketID = intoID
			s.files.byID[id] = f
		}
	}
	s.store(dup)
	s.store(into)
	s.events.append(events)
	return nil
}
