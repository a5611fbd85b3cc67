package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"crm/application"
	"crm/domain"
)

// recordTries is how many times a worker tries to store an outcome.
const recordTries = 3

// deliver makes one claimed delivery and records the outcome. It runs in a
// goroutine of its own; ctx ends when Stop gives up waiting.
func (d *Dispatcher) deliver(ctx context.Context, c application.ClaimedDelivery) {
	defer func() {
		d.inflight.Add(-1)
		d.workers.Done()
		d.Wake()
	}()
	log := d.log.With("delivery_id", c.ID, "event_id", c.EventID, "handler", c.Handler, "key", c.Key)
	if d.stopping.Load() {
		d.release(c, log)
		return
	}
	// An attempt ends well before its lease, so that no other round, here or
	// in another replica, takes the delivery while it is still under way.
	attemptCtx, cancel := context.WithTimeout(ctx, d.cfg.Lease/2)
	out, err := d.handle(attemptCtx, c)
	cancel()
	if err != nil && ctx.Err() != nil {
		// Cancelled by Stop: no verdict on this attempt, try again later.
		d.release(c, log)
		return
	}
	a := d.outcome(c, out, err)
	switch a.Status {
	case application.DeliveryDone:
		log.Debug("delivered", "note", a.Note)
	case application.DeliveryFailed:
		log.Error("delivery failed for good", "attempts", c.Attempts+1, "err", a.Error)
	default:
		log.Warn("delivery failed, will retry", "attempts", c.Attempts+1, "next_attempt_at", a.NextAttemptAt, "err", a.Error)
	}
	d.record(ctx, c, a, log)
}

// handle gives the delivery's event to its handler.
func (d *Dispatcher) handle(ctx context.Context, c application.ClaimedDelivery) (application.Outcome, error) {
	h, ok := d.byName[c.Handler]
	if !ok {
		return application.Outcome{}, fmt.Errorf("%w: no handler named %q", application.ErrPermanent, c.Handler)
	}
	ev, err := domain.DecodeEvent(c.EventKind, c.Payload)
	if err != nil {
		return application.Outcome{}, fmt.Errorf("%w: %w", application.ErrPermanent, err)
	}
	return h.Handle(ctx, domain.StoredEvent{ID: c.EventID, Kind: c.EventKind, Stream: c.Stream, Event: ev, At: c.EventAt})
}

// outcome turns the result of an attempt into what to store: done, failed
// for good, or pending until the clock reaches the next attempt.
func (d *Dispatcher) outcome(c application.ClaimedDelivery, out application.Outcome, err error) application.Attempt {
	now := d.clock.Now()
	if err == nil {
		a := application.Attempt{Status: application.DeliveryDone, At: now, Note: out.Note}
		if out.Sent && d.cfg.KeyInterval > 0 {
			a.HoldKeyUntil = now.Add(d.cfg.KeyInterval)
		}
		return a
	}
	a := application.Attempt{Status: application.DeliveryFailed, At: now, Error: err.Error()}
	if errors.Is(err, application.ErrPermanent) || errors.Is(err, application.ErrChatBlocked) {
		return a
	}
	if now.Sub(c.Since) >= d.cfg.GiveUpAfter {
		a.Error = fmt.Sprintf("gave up after %v: %s", d.cfg.GiveUpAfter, a.Error)
		return a
	}
	a.Status, a.NextAttemptAt = application.DeliveryPending, now.Add(backoff(d.cfg.BackoffMin, d.cfg.BackoffMax, c.Attempts))
	var ra *application.RetryAfterError
	if errors.As(err, &ra) {
		a.NextAttemptAt = now.Add(ra.After)
	}
	return a
}

// record stores the outcome, insisting a little: a success that is not
// recorded would be sent again once the lease ends. A write started runs
// its course (up to ten seconds) even while stopping; the waits between
// writes end with ctx, when Stop gives up.
func (d *Dispatcher) record(ctx context.Context, c application.ClaimedDelivery, a application.Attempt, log *slog.Logger) {
	var err error
	for try := range recordTries {
		if try > 0 && !wait(ctx, time.Duration(try)*d.cfg.RecordRetry) {
			log.Error("dispatcher: stopped before the outcome of a delivery was recorded; it is made again when its lease ends",
				"status", a.Status, "err", err)
			return
		}
		writeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err = d.leases.RecordAttempt(writeCtx, c.ID, d.cfg.Owner, a)
		cancel()
		if err == nil {
			return
		}
	}
	log.Error("dispatcher: cannot record the outcome of a delivery", "status", a.Status, "err", err)
}

// release gives a claimed delivery back untried, so that it is due again.
func (d *Dispatcher) release(c application.ClaimedDelivery, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.leases.ReleaseDelivery(ctx, c.ID, d.cfg.Owner); err != nil {
		log.Warn("dispatcher: cannot give back a delivery; it is retried when its lease ends", "err", err)
	}
}
