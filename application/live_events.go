package application

import (
	"context"
	"encoding/json"
	"strings"

	"crm/domain"
)

// LiveEvents reads the stored events for the live pages (GET /events).
// Storage adapters implement it over the same events table the outbox
// reads; test/contract checks them.
type LiveEvents interface {
	// LastEventID returns the id of the newest stored event, 0 when none.
	LastEventID(ctx context.Context) (int64, error)
	// EventsAfter returns up to limit stored events with ids above after,
	// oldest first.
	EventsAfter(ctx context.Context, after int64, limit int) ([]OutboxEvent, error)
}

// LiveEvent is what a page learns of a change: that ticket TicketID
// changed, how (Kind), whether the ticket is the viewer's own (so that
// staff's "My tickets" ignores the rest), and the stored event's id, which
// a stream that reconnects names to resume right after it.
type LiveEvent struct {
	ID       int64  `json:"-"`
	Kind     string `json:"kind"`
	TicketID int64  `json:"ticket_id"`
	// IntoID is the ticket a merged duplicate went into, whose page
	// changed too (0 for every other kind).
	IntoID int64 `json:"into_id,omitempty"`
	Own    bool  `json:"own"`
}

// liveFacts are the payload fields that decide who may hear of an event.
// Every ticket event carries owner_id; a comment carries internal.
type liveFacts struct {
	OwnerID  *int64 `json:"owner_id"`
	Internal bool   `json:"internal"`
	IntoID   int64  `json:"into_id"` // ticket.merged
}

// LiveEventFor returns e as viewer may learn of it, and false when they
// may not: only ticket events are streamed; staff hear of every ticket
// and of internal notes; anyone else only of their own tickets and never
// of an internal note. An event whose payload does not name the owner
// (a kind this code does not know, or one that fails to decode) goes to
// staff only, so that a new kind leaks nothing by default.
func LiveEventFor(viewer *domain.User, e OutboxEvent) (LiveEvent, bool) {
	rest, ok := strings.CutPrefix(e.Stream, "ticket:")
	if !ok || viewer == nil || !viewer.Active() {
		return LiveEvent{}, false
	}
	ticketID, ok := parseID(rest)
	if !ok {
		return LiveEvent{}, false
	}
	out := LiveEvent{ID: e.ID, Kind: e.Kind, TicketID: ticketID}
	var f liveFacts
	known := json.Unmarshal(e.Payload, &f) == nil && f.OwnerID != nil
	out.Own = known && *f.OwnerID == viewer.ID()
	out.IntoID = f.IntoID
	if viewer.IsStaff() {
		return out, true
	}
	if !out.Own || f.Internal {
		return LiveEvent{}, false
	}
	return out, true
}
