package sqlstore

import (
	"context"
	"fmt"
	"time"

	"crm/application"
)

var _ application.Presence = (*Presence)(nil)

// Presence keeps who has which ticket page open in the ticket_viewers
// table (migration 0015), so that every replica sees every viewer.
type Presence struct{ s *Store }

// NewPresence returns Presence over s.
func NewPresence(s *Store) *Presence { return &Presence{s: s} }

type viewerRow struct {
	Key      string    `db:"viewer_key"`
	TicketID int64     `db:"ticket_id"`
	UserID   int64     `db:"user_id"`
	Username string    `db:"username"`
	SeenAt   timestamp `db:"seen_at"`
}

// Touch records v, or moves v.Key to v's ticket and time. Viewers gone
// silent for a day (a replica that crashed with pages open) are purged
// on the way.
func (p *Presence) Touch(ctx context.Context, v application.Viewer) error {
	const (
		upsert = `INSERT INTO ticket_viewers (viewer_key, ticket_id, user_id, username, seen_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (viewer_key) DO UPDATE SET ticket_id = excluded.ticket_id, user_id = excluded.user_id,
			username = excluded.username, seen_at = excluded.seen_at`
		purge = `DELETE FROM ticket_viewers WHERE ticket_id = ? AND seen_at < ?`
	)
	if _, err := p.s.exec(ctx, nil, upsert, v.Key, v.TicketID, v.UserID, v.Username, v.SeenAt); err != nil {
		return fmt.Errorf("upsert ticket viewer: %w", err)
	}
	if _, err := p.s.exec(ctx, nil, purge, v.TicketID, v.SeenAt.Add(-24*time.Hour)); err != nil {
		return fmt.Errorf("purge ticket viewers: %w", err)
	}
	return nil
}

// Leave forgets the viewer with key.
func (p *Presence) Leave(ctx context.Context, key string) error {
	if _, err := p.s.exec(ctx, nil, `DELETE FROM ticket_viewers WHERE viewer_key = ?`, key); err != nil {
		return fmt.Errorf("delete ticket viewer: %w", err)
	}
	return nil
}

// Viewers returns the viewers of ticketID seen at or after since, oldest
// first.
func (p *Presence) Viewers(ctx context.Context, ticketID int64, since time.Time) ([]application.Viewer, error) {
	const q = `SELECT viewer_key, ticket_id, user_id, username, seen_at FROM ticket_viewers
		WHERE ticket_id = ? AND seen_at >= ? ORDER BY seen_at, viewer_key`
	var rows []viewerRow
	if err := p.s.sel(ctx, nil, &rows, q, ticketID, since); err != nil {
		return nil, fmt.Errorf("select ticket viewers: %w", err)
	}
	out := make([]application.Viewer, len(rows))
	for i, r := range rows {
		out[i] = application.Viewer{Key: r.Key, TicketID: r.TicketID, UserID: r.UserID, Username: r.Username, SeenAt: r.SeenAt.Time}
	}
	return out, nil
}
