package memory

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"crm/application"
	"crm/domain"
)

var (
	_ application.Outbox     = (*Outbox)(nil)
	_ application.Deliveries = (*Outbox)(nil)
)

// Outbox tracks the deliveries of an EventStore's events in memory.
type Outbox struct {
	events *EventStore

	mu         sync.Mutex
	deliveries map[int64]*delivery
	byEvent    map[eventHandler]int64 // delivery id by event and handler
	cursors    map[string]int64
	holds      map[handlerKey]time.Time // no claim of the key before
	nextID     int64
}

type handlerKey struct{ handler, key string }

type eventHandler struct {
	eventID int64
	handler string
}

type delivery struct {
	application.Delivery
	leaseOwner string
	leaseUntil time.Time
}

// NewOutbox returns an Outbox of the events in events, without deliveries.
func NewOutbox(events *EventStore) *Outbox {
	return &Outbox{events: events, deliveries: map[int64]*delivery{}, byEvent: map[eventHandler]int64{}, cursors: map[string]int64{},
		holds: map[handlerKey]time.Time{}}
}

// LastEventID returns the id of the newest event, 0 when none.
func (o *Outbox) LastEventID(context.Context) (int64, error) {
	o.events.mu.Lock()
	defer o.events.mu.Unlock()
	if n := len(o.events.events); n > 0 {
		return o.events.events[n-1].id, nil
	}
	return 0, nil
}

// Cursor returns the cursor of handler, 0 at first.
func (o *Outbox) Cursor(_ context.Context, handler string) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.cursors[handler], nil
}

// AdvanceCursor moves the cursor of handler forward to eventID.
func (o *Outbox) AdvanceCursor(_ context.Context, handler string, eventID int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.cursors[handler] = max(o.cursors[handler], eventID)
	return nil
}

// EventsWithoutDelivery returns up to limit events after the id after, of
// kinds, without a delivery for handler, oldest first.
func (o *Outbox) EventsWithoutDelivery(_ context.Context, handler string, kinds []string, after int64, limit int) ([]application.OutboxEvent, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.events.mu.Lock()
	defer o.events.mu.Unlock()
	var out []application.OutboxEvent
	for _, e := range o.events.events {
		if len(out) == limit {
			break
		}
		if e.id <= after || !slices.Contains(kinds, e.kind) {
			continue
		}
		if _, ok := o.byEvent[eventHandler{e.id, handler}]; ok {
			continue
		}
		out = append(out, toOutboxEvent(e))
	}
	return out, nil
}

// EventIDs returns the ids of up to limit events in (after, through], in
// order.
func (o *Outbox) EventIDs(_ context.Context, after, through int64, limit int) ([]int64, error) {
	o.events.mu.Lock()
	defer o.events.mu.Unlock()
	var ids []int64
	for _, e := range o.events.events {
		if len(ids) == limit {
			break
		}
		if e.id > after && e.id <= through {
			ids = append(ids, e.id)
		}
	}
	return ids, nil
}

func toOutboxEvent(e storedEvent) application.OutboxEvent {
	return application.OutboxEvent{ID: e.id, Kind: e.kind, Stream: e.stream, Payload: slices.Clone(e.payload), At: e.at}
}

// AddDeliveries stores ds, skipping those whose event and handler already
// have a delivery.
func (o *Outbox) AddDeliveries(_ context.Context, ds []application.NewDelivery) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.events.mu.Lock()
	defer o.events.mu.Unlock()
	for _, nd := range ds {
		k := eventHandler{nd.EventID, nd.Handler}
		if _, ok := o.byEvent[k]; ok {
			continue
		}
		e, ok := o.eventLocked(nd.EventID)
		if !ok {
			continue // as a foreign key would refuse it; the dispatcher never asks
		}
		at := micro(nd.At)
		o.nextID++
		o.deliveries[o.nextID] = &delivery{Delivery: application.Delivery{
			ID: o.nextID, EventID: nd.EventID, EventKind: e.kind, Stream: e.stream, Handler: nd.Handler, Key: nd.Key,
			Status: nd.Status, NextAttemptAt: at, LastError: nd.LastError, Note: nd.Note,
			Since: at, CreatedAt: at, UpdatedAt: at,
		}}
		o.byEvent[k] = o.nextID
	}
	return nil
}

// eventLocked finds an event by id; o.events.mu must be held.
func (o *Outbox) eventLocked(id int64) (storedEvent, bool) {
	i, ok := slices.BinarySearchFunc(o.events.events, id, func(e storedEvent, id int64) int { return cmp.Compare(e.id, id) })
	if !ok {
		return storedEvent{}, false
	}
	return o.events.events[i], true
}

// ClaimDeliveries leases up to limit due deliveries, each the earliest
// pending one of its handler and key, to owner until leaseUntil.
func (o *Outbox) ClaimDeliveries(_ context.Context, owner string, now, leaseUntil time.Time, limit int) ([]application.ClaimedDelivery, error) {
	now, leaseUntil = micro(now), micro(leaseUntil)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.events.mu.Lock()
	defer o.events.mu.Unlock()
	var pending []*delivery
	for _, d := range o.deliveries {
		if d.Status == application.DeliveryPending {
			pending = append(pending, d)
		}
	}
	slices.SortFunc(pending, func(a, b *delivery) int {
		return cmp.Or(cmp.Compare(a.EventID, b.EventID), cmp.Compare(a.ID, b.ID))
	})
	seen := map[handlerKey]bool{}
	var out []application.ClaimedDelivery
	for _, d := range pending {
		if len(out) == limit {
			break
		}
		hk := handlerKey{d.Handler, d.Key}
		if seen[hk] {
			continue
		}
		seen[hk] = true
		if d.NextAttemptAt.After(now) || (d.leaseOwner != "" && d.leaseUntil.After(now)) || o.holds[hk].After(now) {
			continue
		}
		d.leaseOwner, d.leaseUntil = owner, leaseUntil
		e, _ := o.eventLocked(d.EventID)
		out = append(out, application.ClaimedDelivery{Delivery: d.Delivery, Payload: slices.Clone(e.payload), EventAt: e.at})
	}
	return out, nil
}

// RecordAttempt stores the outcome of an attempt by owner and ends the
// lease; a non-success is ignored when owner lost the lease. A success
// holds the key until a.HoldKeyUntil: no delivery of it is claimed before.
func (o *Outbox) RecordAttempt(_ context.Context, id int64, owner string, a application.Attempt) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	d, ok := o.deliveries[id]
	if !ok {
		return domain.ErrDeliveryNotFound
	}
	if a.Status != application.DeliveryDone && d.leaseOwner != owner {
		return nil
	}
	d.Status, d.Attempts, d.LastError, d.UpdatedAt = a.Status, d.Attempts+1, a.Error, micro(a.At)
	if a.Note != "" || a.Status == application.DeliveryDone {
		d.Note = a.Note
	}
	if a.Status == application.DeliveryPending {
		d.NextAttemptAt = micro(a.NextAttemptAt)
	}
	d.leaseOwner, d.leaseUntil = "", time.Time{}
	if a.Status == application.DeliveryDone && !a.HoldKeyUntil.IsZero() {
		o.holds[handlerKey{d.Handler, d.Key}] = micro(a.HoldKeyUntil)
	}
	return nil
}

// ReleaseDelivery ends owner's lease of a delivery.
func (o *Outbox) ReleaseDelivery(_ context.Context, id int64, owner string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	d, ok := o.deliveries[id]
	if !ok {
		return domain.ErrDeliveryNotFound
	}
	if d.leaseOwner == owner {
		d.leaseOwner, d.leaseUntil = "", time.Time{}
	}
	return nil
}

// ListDeliveries returns one page of deliveries in f's statuses, newest
// first.
func (o *Outbox) ListDeliveries(_ context.Context, f application.DeliveryFilter) (application.DeliveryPage, error) {
	p := f.Page.Normalized()
	o.mu.Lock()
	defer o.mu.Unlock()
	var matching []*delivery
	for _, d := range o.deliveries {
		if len(f.Statuses) == 0 || slices.Contains(f.Statuses, d.Status) {
			matching = append(matching, d)
		}
	}
	slices.SortFunc(matching, func(a, b *delivery) int { return cmpDesc(a.ID, b.ID) })
	page := application.DeliveryPage{Total: len(matching), Deliveries: []application.Delivery{}}
	for _, d := range matching {
		if p.Before != 0 && d.ID >= p.Before {
			continue
		}
		if len(page.Deliveries) == p.Limit {
			page.Next = page.Deliveries[len(page.Deliveries)-1].ID
			break
		}
		page.Deliveries = append(page.Deliveries, d.Delivery)
	}
	return page, nil
}

// CountDeliveries counts the deliveries in each of statuses, under one
// lock.
func (o *Outbox) CountDeliveries(_ context.Context, statuses ...application.DeliveryStatus) (map[application.DeliveryStatus]int, error) {
	out := make(map[application.DeliveryStatus]int, len(statuses))
	for _, st := range statuses {
		out[st] = 0
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, d := range o.deliveries {
		if _, ok := out[d.Status]; ok {
			out[d.Status]++
		}
	}
	return out, nil
}

// RequeueDelivery makes a failed or pending delivery due at now, counting
// attempts afresh; a done one is left alone. ErrDeliveryNotFound.
func (o *Outbox) RequeueDelivery(_ context.Context, id int64, now time.Time) error {
	now = micro(now)
	o.mu.Lock()
	defer o.mu.Unlock()
	d, ok := o.deliveries[id]
	if !ok {
		return domain.ErrDeliveryNotFound
	}
	if d.Status == application.DeliveryDone {
		return nil
	}
	d.Status, d.Attempts, d.NextAttemptAt, d.Since, d.UpdatedAt = application.DeliveryPending, 0, now, now, now
	return nil
}
