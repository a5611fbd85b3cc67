// Package delivery delivers the events of the transactional outbox to the
// application's event handlers (Telegram notifications, webhooks): a
// Dispatcher gives every stored event a delivery per handler that wants
// it, then makes the due deliveries with a pool of workers under leases,
// so that replicas share the work, and retries failures with backoff.
//
// It uses the application's ports (application.EventHandler, the outbox's
// types) and its own narrow view of the outbox storage (Outbox); the
// application knows it only as a Waker.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"crm/application"
)

// Dispatcher delivers the stored events to the handlers: it gives every
// event of a handler's kinds a delivery, then claims due deliveries and
// makes them, retrying failures. Start it once; Stop ends it.
type Dispatcher struct {
	leases Leases
	fan    *fanOut
	clock  application.Clock
	log    *slog.Logger
	cfg    Config
	byName map[string]application.EventHandler

	wake     chan struct{}
	inflight atomic.Int64
	workers  sync.WaitGroup
	stopping atomic.Bool

	mu         sync.Mutex // guards the lifecycle fields below
	started    bool
	cancelLoop context.CancelFunc
	cancelSend context.CancelFunc
	loopDone   chan struct{}

	errs *errorThrottle // the loop goroutine's
}

var _ application.Waker = (*Dispatcher)(nil)

// NewDispatcher returns a dispatcher of outbox's events to handlers, whose
// names must differ. Every time it reads or stores comes from clock.
func NewDispatcher(outbox Outbox, clock application.Clock, log *slog.Logger, cfg Config, handlers ...application.EventHandler) *Dispatcher {
	cfg = cfg.withDefaults()
	d := &Dispatcher{
		leases: outbox, clock: clock, log: log, cfg: cfg,
		fan: &fanOut{
			feed: outbox, clock: clock, log: log, handlers: handlers,
			commitWindow: cfg.CommitWindow, batch: cfg.FanOutBatch, recheckEvery: cfg.PollInterval,
			fullSweepEvery: cfg.CommitWindow / 10,
			cursors:        map[string]int64{}, seen: map[string]int64{}, swept: map[string]time.Time{},
		},
		byName: map[string]application.EventHandler{},
		wake:   make(chan struct{}, 1),
		errs:   &errorThrottle{clock: clock, every: time.Minute},
	}
	for _, h := range handlers {
		if _, dup := d.byName[h.Name()]; dup {
			panic(fmt.Sprintf("delivery: two event handlers named %q", h.Name()))
		}
		d.byName[h.Name()] = h
	}
	return d
}

// Wake makes the dispatcher look for new events and due deliveries now.
// Call it after a transaction that stored events commits. It never blocks.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Start runs the dispatcher in the background and returns at once. It
// fails if the dispatcher was started before.
func (d *Dispatcher) Start(context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started {
		return errors.New("dispatcher: started twice")
	}
	d.started = true
	loopCtx, cancelLoop := context.WithCancel(context.Background())
	sendCtx, cancelSend := context.WithCancel(context.Background())
	d.cancelLoop, d.cancelSend = cancelLoop, cancelSend
	d.loopDone = make(chan struct{})
	go func() {
		defer close(d.loopDone)
		d.run(loopCtx, sendCtx)
	}()
	return nil
}

// Stop stops claiming deliveries, lets those being made finish until ctx
// ends, then cancels them (they are made again later: at least once), and
// returns when every goroutine is gone; a worker waiting to store an
// outcome again gives up then. Deliveries claimed but not started are
// given back. It returns ctx's error when ctx ended first.
func (d *Dispatcher) Stop(ctx context.Context) error {
	d.mu.Lock()
	if !d.started || d.cancelLoop == nil {
		d.mu.Unlock()
		return nil
	}
	cancelLoop, cancelSend, loopDone := d.cancelLoop, d.cancelSend, d.loopDone
	d.cancelLoop = nil
	d.mu.Unlock()

	d.stopping.Store(true)
	cancelLoop()
	<-loopDone
	done := make(chan struct{})
	go func() { d.workers.Wait(); close(done) }()
	select {
	case <-done:
		cancelSend()
		return nil
	case <-ctx.Done():
		cancelSend()
		<-done
		return fmt.Errorf("dispatcher: stop: %w", ctx.Err())
	}
}

// run makes rounds until ctx ends: after each, it waits for a wake, a
// finishing worker or the poll interval.
func (d *Dispatcher) run(ctx, sendCtx context.Context) {
	timer := time.NewTimer(d.cfg.PollInterval)
	defer timer.Stop()
	for {
		began := time.Now()
		if busy := d.round(ctx, sendCtx); busy {
			timer.Stop() // a finishing worker wakes the loop
		} else {
			timer.Reset(d.cfg.PollInterval)
		}
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
			if !d.pause(ctx, began) {
				return
			}
		case <-timer.C:
		}
	}
}

// pause keeps a woken round from starting sooner than WakeGap after the
// one before began, then takes every wake sent meanwhile: the round that
// follows reads what their commits stored. Every commit wakes the
// dispatcher, and under a burst of writes a round after each had cost as
// much as the writes; a wake after a quiet spell starts a round at once.
// It reports false when ctx ended.
func (d *Dispatcher) pause(ctx context.Context, began time.Time) bool {
	if wait := d.cfg.WakeGap - time.Since(began); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
	select {
	case <-d.wake:
	default:
	}
	return true
}

// round gives new events their deliveries and starts the due ones. It
// reports whether every worker is busy, so that the loop waits for one to
// finish rather than for the poll interval.
func (d *Dispatcher) round(ctx, sendCtx context.Context) (busy bool) {
	if err := d.fan.pass(ctx); err != nil && ctx.Err() == nil {
		d.errs.log(d.log, "dispatcher: read new events", err)
	}
	free := d.cfg.Workers - int(d.inflight.Load())
	if free <= 0 {
		return true
	}
	now := d.clock.Now()
	claimed, err := d.leases.ClaimDeliveries(ctx, d.cfg.Owner, now, now.Add(d.cfg.Lease), free)
	if err != nil {
		if ctx.Err() == nil {
			d.errs.log(d.log, "dispatcher: claim deliveries", err)
		}
		return false
	}
	for _, c := range claimed {
		d.inflight.Add(1)
		d.workers.Add(1)
		go d.deliver(sendCtx, c)
	}
	return len(claimed) == free
}
