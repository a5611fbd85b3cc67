package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"crm/application"
	"crm/domain"
)

// fanOut gives every stored event a delivery for each handler that wants
// its kind, and moves each handler's cursor past the events that no
// transaction still under way can add to. The loop goroutine alone uses it.
type fanOut struct {
	feed         EventFeed
	clock        application.Clock
	log          *slog.Logger
	handlers     []application.EventHandler
	commitWindow time.Duration
	batch        int
	// sweepEvery is how often a pass reads every event from the cursor
	// on; the passes between read only the events past the newest one
	// seen. The cursor trails the newest event by the commit window (five
	// minutes), and reading the events of that window, each checked for
	// a delivery, on every commit had cost more than the commits under a
	// burst of tickets. An event that commits after a newer one (a
	// PostgreSQL sequence hands ids out before commit) is found by the
	// next sweep.
	sweepEvery time.Duration

	cursors      map[string]int64     // by handler name, once read
	seen         map[string]int64     // by handler name: the newest event given a delivery
	swept        map[string]time.Time // by handler name: when the last sweep began
	observations []observation
}

// observation: at time at, the newest event id was maxID.
type observation struct {
	at    time.Time
	maxID int64
}

// pass gives the events stored since the last pass their deliveries.
func (f *fanOut) pass(ctx context.Context) error {
	if err := f.observe(ctx); err != nil {
		return err
	}
	for _, h := range f.handlers {
		if err := f.toHandler(ctx, h); err != nil {
			return fmt.Errorf("handler %s: %w", h.Name(), err)
		}
	}
	return nil
}

// observe notes the newest event id now and then, to move the cursors.
func (f *fanOut) observe(ctx context.Context) error {
	if n := len(f.observations); n > 0 && f.clock.Now().Sub(f.observations[n-1].at) < f.commitWindow/10 {
		return nil
	}
	last, err := f.feed.LastEventID(ctx)
	if err != nil {
		return fmt.Errorf("newest event: %w", err)
	}
	// The time after the read: every transaction holding an id up to last
	// had begun by then.
	now := f.clock.Now()
	f.observations = append(f.observations, observation{at: now, maxID: last})
	// Keep what may still move a cursor: everything younger than two
	// windows, and the newest older one.
	cut := 0
	for cut+1 < len(f.observations) && now.Sub(f.observations[cut+1].at) > 2*f.commitWindow {
		cut++
	}
	f.observations = f.observations[cut:]
	return nil
}

// toHandler gives h a delivery of each event of its kinds that has none.
func (f *fanOut) toHandler(ctx context.Context, h application.EventHandler) error {
	name := h.Name()
	cursor, ok := f.cursors[name]
	if !ok {
		c, err := f.feed.Cursor(ctx, name)
		if err != nil {
			return fmt.Errorf("read cursor: %w", err)
		}
		cursor = c
		f.cursors[name] = c
	}
	// Every event up to safe was stored by a transaction that is over by
	// now: one this pass does not see never will commit.
	passStart := f.clock.Now()
	from := cursor
	if seen := f.seen[name]; seen > cursor && passStart.Sub(f.swept[name]) < f.sweepEvery {
		from = seen
	} else {
		f.swept[name] = passStart
	}
	var safe int64
	for _, o := range f.observations {
		if passStart.Sub(o.at) >= f.commitWindow {
			safe = max(safe, o.maxID)
		}
	}
	for {
		events, err := f.feed.EventsWithoutDelivery(ctx, name, h.Kinds(), from, f.batch)
		if err != nil {
			return fmt.Errorf("events without delivery: %w", err)
		}
		if len(events) == 0 {
			break
		}
		now := f.clock.Now()
		ds := make([]application.NewDelivery, 0, len(events))
		for _, e := range events {
			ds = append(ds, f.route(h, e, now))
		}
		if err := f.feed.AddDeliveries(ctx, ds); err != nil {
			return fmt.Errorf("add deliveries: %w", err)
		}
		from = events[len(events)-1].ID
		f.seen[name] = max(f.seen[name], from)
		if len(events) < f.batch {
			break
		}
	}
	if safe > cursor {
		if err := f.feed.AdvanceCursor(ctx, name, safe); err != nil {
			return fmt.Errorf("advance cursor: %w", err)
		}
		f.cursors[name] = safe
	}
	return nil
}

// route makes the delivery of e to h: pending under h's key, done when h
// skips it, failed when e does not decode.
func (f *fanOut) route(h application.EventHandler, e application.OutboxEvent, now time.Time) application.NewDelivery {
	nd := application.NewDelivery{EventID: e.ID, Handler: h.Name(), Status: application.DeliveryPending, At: now}
	ev, err := domain.DecodeEvent(e.Kind, e.Payload)
	if err != nil {
		f.log.Error("dispatcher: stored event does not decode", "event_id", e.ID, "kind", e.Kind, "err", err)
		nd.Key, nd.Status, nd.LastError = fmt.Sprintf("event:%d", e.ID), application.DeliveryFailed, err.Error()
		return nd
	}
	key, skip := h.Route(domain.StoredEvent{ID: e.ID, Kind: e.Kind, Stream: e.Stream, Event: ev, At: e.At})
	if key == "" {
		key = fmt.Sprintf("event:%d", e.ID)
	}
	nd.Key = key
	if skip != "" {
		nd.Status, nd.Note = application.DeliveryDone, "skipped: "+skip
	}
	return nd
}
