package memory

// Store is every in-memory port over one shared EventStore.
type Store struct {
	Users    *Users
	Tickets  *Tickets
	Sessions *Sessions
	Events   *EventStore
}

// NewStore returns an empty Store.
func NewStore() *Store {
	events := NewEventStore()
	return &Store{
		Users:    NewUsers(events),
		Tickets:  NewTickets(events),
		Sessions: NewSessions(),
		Events:   events,
	}
}
