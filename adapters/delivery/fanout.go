package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"math"
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
	// recheckEvery is how often a gap older than that is asked after
	// (see idGaps).
	recheckEvery time.Duration
	// fullSweepEvery is how often a pass reads every event from the
	// cursor on, not only past the newest seen and from the oldest gap
	// filled: a net under the gaps' bookkeeping, cheap at its pace. At
	// every pass (as before the gaps were followed), reading the events
	// of the commit window, each checked for a delivery, had cost more
	// than the commits under a stream of tickets.
	fullSweepEvery time.Duration

	gaps         idGaps
	cursors      map[string]int64     // by handler name, once read
	seen         map[string]int64     // by handler name: every event up to it was read or is a gap
	swept        map[string]time.Time // by handler name: when the last full sweep began
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
	lowest, err := f.lowestCursor(ctx)
	if err != nil {
		return err
	}
	if !f.gaps.started {
		f.gaps.read, f.gaps.started = lowest, true
	}
	now := f.clock.Now()
	if err := f.gaps.advance(ctx, f.feed, now); err != nil {
		return err
	}
	if err := f.gaps.check(ctx, f.feed, now, f.commitWindow, f.recheckEvery); err != nil {
		return err
	}
	for _, h := range f.handlers {
		if err := f.toHandler(ctx, h, f.gaps.read); err != nil {
			return fmt.Errorf("handler %s: %w", h.Name(), err)
		}
	}
	// Every handler has read from the oldest gap filled.
	f.gaps.filled = 0
	if lowest, err = f.lowestCursor(ctx); err != nil {
		return err
	}
	f.gaps.forgetBelow(lowest)
	return nil
}

// lowestCursor returns the lowest of the handlers' cursors, reading those
// not read yet.
func (f *fanOut) lowestCursor(ctx context.Context) (int64, error) {
	lowest := int64(math.MaxInt64)
	for _, h := range f.handlers {
		c, ok := f.cursors[h.Name()]
		if !ok {
			var err error
			if c, err = f.feed.Cursor(ctx, h.Name()); err != nil {
				return 0, fmt.Errorf("read cursor of %s: %w", h.Name(), err)
			}
			f.cursors[h.Name()] = c
		}
		lowest = min(lowest, c)
	}
	if lowest == math.MaxInt64 {
		return 0, nil
	}
	return lowest, nil
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
// Every id up to read has been read by f.gaps: stored, or an open gap.
func (f *fanOut) toHandler(ctx context.Context, h application.EventHandler, read int64) error {
	name := h.Name()
	cursor := f.cursors[name]
	passStart := f.clock.Now()
	from := cursor
	if seen, ok := f.seen[name]; ok && passStart.Sub(f.swept[name]) < f.fullSweepEvery {
		// What is new, and the events of the gaps filled since.
		from = max(cursor, seen)
		if f.gaps.filled > 0 {
			from = max(cursor, min(from, f.gaps.filled-1))
		}
	} else {
		f.swept[name] = passStart
	}
	// Every event up to safe was stored by a transaction that is over by
	// now: one this pass does not see never will commit.
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
		if len(events) < f.batch {
			break
		}
	}
	// Read: every event up to read that was stored when f.gaps read the
	// ids. Those stored since, past it, are read again next pass (they
	// have their deliveries by then, so it costs little).
	f.seen[name] = read
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
