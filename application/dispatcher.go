package application

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"crm/domain"
)

// EventHandler reacts to stored events. The dispatcher gives it every event
// of its kinds at least once, in event order per key, and retries a failed
// attempt with backoff; after a success it never gives the same event again.
type EventHandler interface {
	// Name identifies the handler in stored deliveries; it must never change.
	Name() string
	// Kinds lists the event kinds the handler wants.
	Kinds() []string
	// Route returns the key that orders e among the handler's deliveries
	// (one key's deliveries are made one at a time, in order), or a
	// non-empty skip note when e needs nothing done: its delivery is then
	// recorded done with that note.
	Route(e domain.StoredEvent) (key, skip string)
	// Handle acts on e and says what it did. Errors are classified as the
	// Notifier's: wrapping ErrPermanent or ErrChatBlocked gives up at once,
	// a *RetryAfterError waits as told, anything else is retried with
	// exponential backoff.
	Handle(ctx context.Context, e domain.StoredEvent) (Outcome, error)
}

// Outcome is what an EventHandler did with an event.
type Outcome struct {
	Note string // e.g. "sent to chat 42", "skipped: telegram not linked"
	// Sent says a message went out on the key's rate-limited channel (one
	// Telegram chat), so the key's next delivery waits
	// DispatcherConfig.KeyInterval, whichever replica makes it.
	Sent bool
}

// Waker is told that something may be due now.
type Waker interface {
	Wake()
}

// DispatcherConfig tunes the dispatcher; zero fields take the defaults.
type DispatcherConfig struct {
	// PollInterval is how often the dispatcher looks for new events and
	// due deliveries when nobody wakes it (default 500ms): the longest a
	// change made by another replica waits.
	PollInterval time.Duration
	// Workers is how many deliveries are made at once (default 16).
	Workers int
	// Lease is how long a claimed delivery belongs to this process before
	// another may take it, should this one die (default 2 minutes). An
	// attempt that takes half of it is abandoned and retried.
	Lease time.Duration
	// BackoffMin and BackoffMax bound the wait before a retry: it doubles
	// from BackoffMin with every failed attempt (defaults 1s and 5 minutes).
	BackoffMin, BackoffMax time.Duration
	// GiveUpAfter is how long a delivery is retried before it is marked
	// failed (default 24 hours).
	GiveUpAfter time.Duration
	// CommitWindow is the longest a transaction that stores events may
	// take (default 5 minutes). Events are looked for this far behind the
	// newest one, since a PostgreSQL sequence hands out ids before commit.
	CommitWindow time.Duration
	// KeyInterval is the least time between two sent deliveries of one key
	// (default 1s: Telegram's limit per chat); negative for none.
	KeyInterval time.Duration
	// FanOutBatch is how many events are read at a time (default 500).
	FanOutBatch int
	// Owner names this process in leases (default a random id).
	Owner string
}

func (c DispatcherConfig) withDefaults() DispatcherConfig {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.PollInterval, 500*time.Millisecond)
	def(&c.Lease, 2*time.Minute)
	def(&c.BackoffMin, time.Second)
	def(&c.BackoffMax, 5*time.Minute)
	def(&c.GiveUpAfter, 24*time.Hour)
	def(&c.CommitWindow, 5*time.Minute)
	if c.KeyInterval == 0 {
		c.KeyInterval = time.Second
	}
	if c.Workers <= 0 {
		c.Workers = 16
	}
	if c.FanOutBatch <= 0 {
		c.FanOutBatch = 500
	}
	if c.Owner == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		c.Owner = hex.EncodeToString(b)
	}
	return c
}

// Dispatcher delivers the stored events to the handlers: it gives every
// event of a handler's kinds a delivery, then claims due deliveries and
// makes them, retrying failures. Start it once; Stop ends it.
type Dispatcher struct {
	outbox   Outbox
	clock    Clock
	log      *slog.Logger
	cfg      DispatcherConfig
	handlers []EventHandler
	byName   map[string]EventHandler

	wake     chan struct{}
	inflight atomic.Int64
	workers  sync.WaitGroup
	stopping atomic.Bool

	mu         sync.Mutex // guards the lifecycle fields below
	started    bool
	cancelLoop context.CancelFunc
	cancelSend context.CancelFunc
	loopDone   chan struct{}

	// Loop state, touched by the loop goroutine only.
	cursors      map[string]int64
	observations []observation
	errs         errorThrottle
}

// observation: at time at, the newest event id was maxID.
type observation struct {
	at    time.Time
	maxID int64
}

// NewDispatcher returns a dispatcher of outbox's events to handlers, whose
// names must differ.
func NewDispatcher(outbox Outbox, clock Clock, log *slog.Logger, cfg DispatcherConfig, handlers ...EventHandler) *Dispatcher {
	d := &Dispatcher{
		outbox: outbox, clock: clock, log: log, cfg: cfg.withDefaults(),
		handlers: handlers, byName: map[string]EventHandler{},
		wake: make(chan struct{}, 1), cursors: map[string]int64{},
	}
	for _, h := range handlers {
		if _, dup := d.byName[h.Name()]; dup {
			panic(fmt.Sprintf("application: two event handlers named %q", h.Name()))
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
// returns when every goroutine is gone. Deliveries claimed but not started
// are given back.
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

func (d *Dispatcher) run(ctx, sendCtx context.Context) {
	timer := time.NewTimer(d.cfg.PollInterval)
	defer timer.Stop()
	for {
		if busy := d.round(ctx, sendCtx); busy {
			timer.Stop() // a finishing worker wakes the loop
		} else {
			timer.Reset(d.cfg.PollInterval)
		}
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-timer.C:
		}
	}
}

// round gives new events their deliveries and starts the due ones. It
// reports whether every worker is busy, so that the loop waits for one to
// finish rather than for the poll interval.
func (d *Dispatcher) round(ctx, sendCtx context.Context) (busy bool) {
	if err := d.fanOut(ctx); err != nil && ctx.Err() == nil {
		d.errs.log(d.log, "dispatcher: read new events", err)
	}
	free := d.cfg.Workers - int(d.inflight.Load())
	if free <= 0 {
		return true
	}
	now := d.clock.Now()
	claimed, err := d.outbox.ClaimDeliveries(ctx, d.cfg.Owner, now, now.Add(d.cfg.Lease), free)
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

// fanOut gives every event a delivery for each handler that wants its kind.
func (d *Dispatcher) fanOut(ctx context.Context) error {
	if err := d.observe(ctx); err != nil {
		return err
	}
	for _, h := range d.handlers {
		if err := d.fanOutTo(ctx, h); err != nil {
			return fmt.Errorf("handler %s: %w", h.Name(), err)
		}
	}
	return nil
}

// observe notes the newest event id now and then, to move the cursors.
func (d *Dispatcher) observe(ctx context.Context) error {
	if n := len(d.observations); n > 0 && time.Since(d.observations[n-1].at) < d.cfg.CommitWindow/10 {
		return nil
	}
	last, err := d.outbox.LastEventID(ctx)
	if err != nil {
		return fmt.Errorf("newest event: %w", err)
	}
	d.observations = append(d.observations, observation{at: time.Now(), maxID: last})
	// Keep what may still move a cursor: everything younger than two
	// windows, and the newest older one.
	cut := 0
	for cut+1 < len(d.observations) && time.Since(d.observations[cut+1].at) > 2*d.cfg.CommitWindow {
		cut++
	}
	d.observations = d.observations[cut:]
	return nil
}

func (d *Dispatcher) fanOutTo(ctx context.Context, h EventHandler) error {
	name := h.Name()
	cursor, ok := d.cursors[name]
	if !ok {
		c, err := d.outbox.Cursor(ctx, name)
		if err != nil {
			return fmt.Errorf("read cursor: %w", err)
		}
		cursor = c
		d.cursors[name] = c
	}
	// Every event up to safe was stored by a transaction that is over by
	// now: one this pass does not see never will commit.
	passStart := time.Now()
	var safe int64
	for _, o := range d.observations {
		if passStart.Sub(o.at) >= d.cfg.CommitWindow {
			safe = max(safe, o.maxID)
		}
	}
	for {
		events, err := d.outbox.EventsWithoutDelivery(ctx, name, h.Kinds(), cursor, d.cfg.FanOutBatch)
		if err != nil {
			return fmt.Errorf("events without delivery: %w", err)
		}
		if len(events) == 0 {
			break
		}
		now := d.clock.Now()
		ds := make([]NewDelivery, 0, len(events))
		for _, e := range events {
			ds = append(ds, d.route(h, e, now))
		}
		if err := d.outbox.AddDeliveries(ctx, ds); err != nil {
			return fmt.Errorf("add deliveries: %w", err)
		}
		if len(events) < d.cfg.FanOutBatch {
			break
		}
	}
	if safe > cursor {
		if err := d.outbox.AdvanceCursor(ctx, name, safe); err != nil {
			return fmt.Errorf("advance cursor: %w", err)
		}
		d.cursors[name] = safe
	}
	return nil
}

// route makes the delivery of e to h: pending under h's key, done when h
// skips it, failed when e does not decode.
func (d *Dispatcher) route(h EventHandler, e OutboxEvent, now time.Time) NewDelivery {
	nd := NewDelivery{EventID: e.ID, Handler: h.Name(), Status: DeliveryPending, At: now}
	ev, err := domain.DecodeEvent(e.Kind, e.Payload)
	if err != nil {
		d.log.Error("dispatcher: stored event does not decode", "event_id", e.ID, "kind", e.Kind, "err", err)
		nd.Key, nd.Status, nd.LastError = fmt.Sprintf("event:%d", e.ID), DeliveryFailed, err.Error()
		return nd
	}
	key, skip := h.Route(domain.StoredEvent{ID: e.ID, Kind: e.Kind, Stream: e.Stream, Event: ev, At: e.At})
	if key == "" {
		key = fmt.Sprintf("event:%d", e.ID)
	}
	nd.Key = key
	if skip != "" {
		nd.Status, nd.Note = DeliveryDone, "skipped: "+skip
	}
	return nd
}

// deliver makes one claimed delivery and records the outcome.
func (d *Dispatcher) deliver(ctx context.Context, c ClaimedDelivery) {
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
	case DeliveryDone:
		log.Debug("delivered", "note", a.Note)
	case DeliveryFailed:
		log.Error("delivery failed for good", "attempts", c.Attempts+1, "err", a.Error)
	default:
		log.Warn("delivery failed, will retry", "attempts", c.Attempts+1, "next_attempt_at", a.NextAttemptAt, "err", a.Error)
	}
	d.record(c, a, log)
}

func (d *Dispatcher) handle(ctx context.Context, c ClaimedDelivery) (Outcome, error) {
	h, ok := d.byName[c.Handler]
	if !ok {
		return Outcome{}, fmt.Errorf("%w: no handler named %q", ErrPermanent, c.Handler)
	}
	ev, err := domain.DecodeEvent(c.EventKind, c.Payload)
	if err != nil {
		return Outcome{}, fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	return h.Handle(ctx, domain.StoredEvent{ID: c.EventID, Kind: c.EventKind, Stream: c.Stream, Event: ev, At: c.EventAt})
}

// outcome turns the result of an attempt into what to store.
func (d *Dispatcher) outcome(c ClaimedDelivery, out Outcome, err error) Attempt {
	now := d.clock.Now()
	if err == nil {
		a := Attempt{Status: DeliveryDone, At: now, Note: out.Note}
		if out.Sent && d.cfg.KeyInterval > 0 {
			a.HoldKeyUntil = now.Add(d.cfg.KeyInterval)
		}
		return a
	}
	a := Attempt{Status: DeliveryFailed, At: now, Error: err.Error()}
	if errors.Is(err, ErrPermanent) || errors.Is(err, ErrChatBlocked) {
		return a
	}
	if now.Sub(c.Since) >= d.cfg.GiveUpAfter {
		a.Error = fmt.Sprintf("gave up after %v: %s", d.cfg.GiveUpAfter, a.Error)
		return a
	}
	a.Status, a.NextAttemptAt = DeliveryPending, now.Add(d.backoff(c.Attempts))
	var ra *RetryAfterError
	if errors.As(err, &ra) {
		a.NextAttemptAt = now.Add(ra.After)
	}
	return a
}

// backoff is the wait after the attempt numbered attempts (from 0) failed:
// BackoffMin doubled per attempt, capped at BackoffMax, less up to a tenth
// at random so that retries spread out.
func (d *Dispatcher) backoff(attempts int) time.Duration {
	wait := d.cfg.BackoffMin
	for i := 0; i < attempts && wait < d.cfg.BackoffMax; i++ {
		wait *= 2
	}
	wait = min(wait, d.cfg.BackoffMax)
	return wait - time.Duration(mrand.Int64N(int64(wait)/10+1))
}

// record stores the outcome, insisting a little: a success that is not
// recorded would be sent again once the lease ends.
func (d *Dispatcher) record(c ClaimedDelivery, a Attempt, log *slog.Logger) {
	var err error
	for try := 0; try < 3; try++ {
		if try > 0 {
			time.Sleep(time.Duration(try) * 200 * time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = d.outbox.RecordAttempt(ctx, c.ID, d.cfg.Owner, a)
		cancel()
		if err == nil {
			return
		}
	}
	log.Error("dispatcher: cannot record the outcome of a delivery", "status", a.Status, "err", err)
}

func (d *Dispatcher) release(c ClaimedDelivery, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.outbox.ReleaseDelivery(ctx, c.ID, d.cfg.Owner); err != nil {
		log.Warn("dispatcher: cannot give back a delivery; it is retried when its lease ends", "err", err)
	}
}

// errorThrottle logs a repeating error once, then at most once a minute.
type errorThrottle struct {
	last   string
	lastAt time.Time
}

func (t *errorThrottle) log(log *slog.Logger, msg string, err error) {
	if err.Error() == t.last && time.Since(t.lastAt) < time.Minute {
		return
	}
	t.last, t.lastAt = err.Error(), time.Now()
	log.Error(msg, "err", err)
}
