package memory

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"crm/application"
)

var _ application.Presence = (*Presence)(nil)

// Presence keeps who has which ticket page open, in memory.
type Presence struct {
	mu      sync.Mutex
	viewers map[string]application.Viewer
}

// NewPresence returns an empty Presence.
func NewPresence() *Presence { return &Presence{viewers: map[string]application.Viewer{}} }

// Touch records v, or moves v.Key to v's ticket and time.
func (p *Presence) Touch(_ context.Context, v application.Viewer) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	v.SeenAt = micro(v.SeenAt)
	p.viewers[v.Key] = v
	return nil
}

// Leave forgets the viewer with key.
func (p *Presence) Leave(_ context.Context, key string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.viewers, key)
	return nil
}

// Viewers returns the viewers of ticketID seen at or after since, oldest
// first.
func (p *Presence) Viewers(_ context.Context, ticketID int64, since time.Time) ([]application.Viewer, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	since = micro(since) // as stored
	var out []application.Viewer
	for _, v := range p.viewers {
		if v.TicketID == ticketID && !v.SeenAt.Before(since) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b application.Viewer) int {
		return cmp.Or(a.SeenAt.Compare(b.SeenAt), cmp.Compare(a.Key, b.Key))
	})
	return out, nil
}
