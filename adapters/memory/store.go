package memory

// Store is every in-memory port over one shared EventStore.
type Store struct {
	Users       *Users
	Tickets     *Tickets
	Attachments *Attachments // the files Tickets keeps
	Files       *Files
	Sessions    *Sessions
	Events      *EventStore
	Reports     *Reports     // figures computed from Tickets
	SLAPolicies *SLAPolicies // response targets per ticket type
}

// NewStore returns an empty Store.
func NewStore() *Store {
	events := NewEventStore()
	users := NewUsers(events)
	sessions := NewSessions()
	sessions.users = users
	tickets := NewTickets(events)
	return &Store{
		Users:       users,
		Tickets:     tickets,
		Attachments: NewAttachments(tickets),
		Files:       NewFiles(tickets),
		Sessions:    sessions,
		Events:      events,
		Reports:     NewReports(tickets),
		SLAPolicies: NewSLAPolicies(),
	}
}
