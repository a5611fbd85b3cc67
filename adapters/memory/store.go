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
	users := NewUsers(events)
	sessions := NewSessions()
	sessions.users = users
	return &Store{
		Users:    users,
		Tickets:  NewTickets(events),
		Sessions: sessions,
		Events:   events,
	}
}
