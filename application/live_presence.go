package application

import (
	"context"
	"slices"
	"time"

	"crm/domain"
)

// PresenceTTL is how long a viewer counts as present after its stream last
// said so; open streams refresh well within it (see PresenceRefresh).
const PresenceTTL = 45 * time.Second

// PresenceRefresh is how often an open stream refreshes its presence.
const PresenceRefresh = 15 * time.Second

// Viewer is one open staff ticket page: Key names the page's stream, so
// that two tabs of one person come and go independently.
type Viewer struct {
	Key      string
	TicketID int64
	UserID   int64
	Username string
	SeenAt   time.Time
}

// Presence stores who has which ticket open, shared by every replica.
type Presence interface {
	// Touch records v, or refreshes v.Key's ticket and time.
	Touch(ctx context.Context, v Viewer) error
	// Leave forgets the viewer with key; an unknown key is not an error.
	Leave(ctx context.Context, key string) error
	// Viewers returns the viewers of ticketID seen at or after since,
	// oldest first.
	Viewers(ctx context.Context, ticketID int64, since time.Time) ([]Viewer, error)
}

// TicketPresence records staff on ticket pages and tells staff who else
// is there. Owners are never recorded nor told.
type TicketPresence struct {
	presence Presence
	clock    Clock
}

// NewTicketPresence returns the presence use cases over presence.
func NewTicketPresence(presence Presence, clock Clock) *TicketPresence {
	return &TicketPresence{presence: presence, clock: clock}
}

// Enter records (or refreshes) that actor has ticketID open on the page
// whose stream is key. Anyone but staff is not recorded (ErrForbidden).
func (p *TicketPresence) Enter(ctx context.Context, actor *domain.User, ticketID int64, key string) error {
	if actor == nil || !actor.IsStaff() {
		return domain.ErrForbidden
	}
	return p.presence.Touch(ctx, Viewer{Key: key, TicketID: ticketID, UserID: actor.ID(),
		Username: actor.Username(), SeenAt: p.clock.Now()})
}

// Leave forgets the page whose stream is key.
func (p *TicketPresence) Leave(ctx context.Context, key string) error {
	return p.presence.Leave(ctx, key)
}

// Others returns the names of the other staff who have ticketID open now,
// sorted, each once; to anyone but staff, ErrForbidden.
func (p *TicketPresence) Others(ctx context.Context, actor *domain.User, ticketID int64) ([]string, error) {
	if actor == nil || !actor.IsStaff() {
		return nil, domain.ErrForbidden
	}
	vs, err := p.presence.Viewers(ctx, ticketID, p.clock.Now().Add(-PresenceTTL))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, v := range vs {
		if v.UserID != actor.ID() && !slices.Contains(names, v.Username) {
			names = append(names, v.Username)
		}
	}
	slices.Sort(names)
	return names, nil
}
