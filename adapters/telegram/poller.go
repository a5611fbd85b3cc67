package telegram

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"crm/application"
)

// PollerConfig tunes the Poller; zero fields take the defaults.
type PollerConfig struct {
	// PollTimeout is how long one getUpdates call waits for updates
	// (default 25s).
	PollTimeout time.Duration
	// LockRetry is how often a replica that does not hold the poll lock
	// tries to take it (default 5s).
	LockRetry time.Duration
	// LockCheck is how often the holder checks it still holds the lock
	// (default 5s); when it lost it, it stops polling at once.
	LockCheck time.Duration
	// TakeoverDelay is how long a replica that took the lock from another
	// one waits before its first poll, so that the old holder, should it be
	// alive but cut off from the database, has noticed and stopped (default
	// LockCheck + 1s).
	TakeoverDelay time.Duration
	// BackoffMin and BackoffMax bound the wait after a failed poll (defaults
	// 1s and 30s).
	BackoffMin, BackoffMax time.Duration
	// ConflictWait is the least wait after a 409 Conflict: another poller or
	// a webhook is active (default 5s).
	ConflictWait time.Duration
}

func (c PollerConfig) withDefaults() PollerConfig {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.PollTimeout, 25*time.Second)
	c.PollTimeout = max(c.PollTimeout, time.Second) // Telegram counts whole seconds; 0 would not wait
	def(&c.LockRetry, 5*time.Second)
	def(&c.LockCheck, 5*time.Second)
	def(&c.TakeoverDelay, c.LockCheck+time.Second)
	def(&c.BackoffMin, time.Second)
	def(&c.BackoffMax, 30*time.Second)
	def(&c.ConflictWait, 5*time.Second)
	return c
}

// Poller receives updates by long polling (CRM_TELEGRAM_MODE=polling). Only
// the replica holding the PollLock polls; the others wait to take over.
// Start it once; Stop ends it.
type Poller struct {
	client  *Client
	updates *Updates
	lock    application.PollLock
	log     *slog.Logger
	cfg     PollerConfig

	bg application.Background
}

// NewPoller returns a poller that hands updates to updates. lock is
// application.LocalPollLock{} for a single process (SQLite), the
// PostgreSQL advisory lock otherwise.
func NewPoller(client *Client, updates *Updates, lock application.PollLock, log *slog.Logger, cfg PollerConfig) *Poller {
	return &Poller{bg: application.Background{Name: "telegram poller"}, client: client, updates: updates, lock: lock, log: log, cfg: cfg.withDefaults()}
}

// Start polls in the background and returns at once.
func (p *Poller) Start(context.Context) error {
	return p.bg.Start(p.run)
}

// Stop cancels the poll under way, confirms the updates handled, gives the
// lock up and returns when the poller is gone, or when ctx ends.
func (p *Poller) Stop(ctx context.Context) error {
	return p.bg.Stop(ctx)
}

func (p *Poller) run(ctx context.Context) {
	// waited: this replica did not hold the lock when it last tried, so
	// another one may have polled meanwhile. standingBy: it was told that
	// another replica holds it, and said so.
	waited, standingBy := false, false
	for ctx.Err() == nil {
		held, err := p.lock.TryAcquire(ctx)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			// Not a word about other replicas: nobody knows whether one
			// polls.
			held = false
			p.log.Error("telegram poller: cannot reach the database to take the poll lock; not polling",
				"err", err, "retry_in", p.cfg.LockRetry)
			waited, standingBy = true, false
		case !held:
			if !standingBy {
				p.log.Info("telegram poller: another replica holds the poll lock; standing by")
			}
			waited, standingBy = true, true
		}
		if !held {
			_ = sleepUntil(ctx, time.Now().Add(p.cfg.LockRetry))
			continue
		}
		standingBy = false
		if waited {
			p.log.Info("telegram poller: took the poll lock over", "delay", p.cfg.TakeoverDelay)
			if sleepUntil(ctx, time.Now().Add(p.cfg.TakeoverDelay)) != nil {
				p.release()
				return
			}
		}
		waited = false
		p.lead(ctx)
		p.release()
	}
}

func (p *Poller) release() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.lock.Release(ctx); err != nil {
		p.log.Warn("telegram poller: cannot release the poll lock", "err", err)
	}
}

// lead polls while this replica holds the lock and ctx lasts.
func (p *Poller) lead(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	var watch sync.WaitGroup
	watch.Go(func() { p.watchLock(ctx, cancel) })
	defer func() {
		cancel()
		watch.Wait()
	}()

	backoff := newBackoff(p.cfg.BackoffMin, p.cfg.BackoffMax)
	for {
		err := p.client.DeleteWebhook(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return
		}
		p.log.Warn("telegram poller: deleteWebhook failed", "err", err)
		if sleepUntil(ctx, time.Now().Add(backoff.next())) != nil {
			return
		}
	}
	if name := p.client.BotUsername(); name != "" {
		p.log.Info("telegram poller: polling for updates", "bot", name)
	}
	backoff.reset()
	offset, confirmed := 0, 0
	defer func() {
		if offset > confirmed {
			p.confirm(offset)
		}
	}()
	for ctx.Err() == nil {
		confirmed = offset
		updates, err := p.client.GetUpdates(ctx, offset, p.cfg.PollTimeout)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			wait := backoff.next()
			switch code := apiCode(err); {
			case code == http.StatusConflict:
				wait = max(wait, p.cfg.ConflictWait)
				p.log.Warn("telegram poller: another getUpdates or a webhook is active", "err", err, "retry_in", wait)
			case code == http.StatusUnauthorized:
				wait = p.cfg.BackoffMax
				p.log.Error("telegram poller: the bot token is refused", "err", err, "retry_in", wait)
			default:
				if ra, ok := asRetryAfter(err); ok {
					wait = ra
				}
				p.log.Warn("telegram poller: getUpdates failed", "err", err, "retry_in", wait)
			}
			if sleepUntil(ctx, time.Now().Add(wait)) != nil {
				return
			}
			continue
		}
		backoff.reset()
		for _, u := range updates {
			if u.UpdateID < offset {
				continue // already handled
			}
			hctx, hcancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			p.updates.Handle(hctx, u)
			hcancel()
			offset = u.UpdateID + 1
		}
	}
}

// watchLock cancels the polling when the lock is lost.
func (p *Poller) watchLock(ctx context.Context, cancel context.CancelFunc) {
	t := time.NewTicker(p.cfg.LockCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := p.lock.Check(ctx); err != nil && ctx.Err() == nil {
				p.log.Error("telegram poller: lost the poll lock; polling stops", "err", err)
				cancel()
				return
			}
		}
	}
}

// confirm tells Telegram the updates before offset are handled, so that a
// restart does not get them again.
func (p *Poller) confirm(offset int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := p.client.GetUpdates(ctx, offset, 0); err != nil {
		p.log.Warn("telegram poller: cannot confirm the last updates; they may come again", "err", err)
	}
}

// backoff doubles a wait from min to max.
type backoff struct {
	min, max, cur time.Duration
}

func newBackoff(min, max time.Duration) *backoff { return &backoff{min: min, max: max} }

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(2*b.cur, b.max)
	}
	return b.cur
}

func (b *backoff) reset() { b.cur = 0 }
