package application

import (
	"context"
	"log/slog"
	"time"
)

// JanitorConfig tunes the janitor; zero fields take the defaults.
type JanitorConfig struct {
	// FirstDelay is how long after Start the first clean-up runs (default
	// 30s), so that it stays out of the way of start-up.
	FirstDelay time.Duration
	// Interval is the time from the end of one clean-up to the start of
	// the next (default 1 hour).
	Interval time.Duration
	// Timeout bounds one clean-up (default 5 minutes); one cut short is
	// logged as failed and tried again at the next tick.
	Timeout time.Duration
}

func (c JanitorConfig) withDefaults() JanitorConfig {
	if c.FirstDelay <= 0 {
		c.FirstDelay = 30 * time.Second
	}
	if c.Interval <= 0 {
		c.Interval = time.Hour
	}
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Minute
	}
	return c
}

// Janitor runs CleanUp in the background: once shortly after Start, then
// every interval. A failed clean-up is logged and tried again at the next
// tick. Every replica may run one: the deletions are idempotent. Start it
// once; Stop ends it.
type Janitor struct {
	cleanUp CleanUpHandler
	log     *slog.Logger
	cfg     JanitorConfig

	bg Background
}

// NewJanitor gives cfg's zero fields their defaults.
func NewJanitor(cleanUp CleanUpHandler, log *slog.Logger, cfg JanitorConfig) *Janitor {
	return &Janitor{bg: Background{Name: "janitor"}, cleanUp: cleanUp, log: log, cfg: cfg.withDefaults()}
}

// Start runs the janitor in the background and returns at once. It fails
// if the janitor was started before.
func (j *Janitor) Start(context.Context) error {
	return j.bg.Start(j.run)
}

// Stop cancels the clean-up under way, if any, and returns when the
// janitor's goroutine is gone, or with an error when ctx ends first.
// Stopping a janitor never started is not an error.
func (j *Janitor) Stop(ctx context.Context) error {
	return j.bg.Stop(ctx)
}

func (j *Janitor) run(ctx context.Context) {
	Repeat(ctx, j.cfg.FirstDelay, j.cfg.Interval, j.once)
}

// once runs one clean-up and logs its outcome.
func (j *Janitor) once(ctx context.Context) {
	runCtx, cancel := context.WithTimeout(ctx, j.cfg.Timeout)
	defer cancel()
	start := time.Now()
	n, err := j.cleanUp.Handle(runCtx, CleanUp{})
	attrs := []any{"sessions", n.Sessions, "link_tokens", n.LinkTokens, "took", time.Since(start)}
	switch {
	case err != nil && ctx.Err() != nil:
		// Stopped halfway: nothing to report.
	case err != nil:
		j.log.Error("janitor: clean-up failed, will retry", append(attrs, "next_in", j.cfg.Interval, "err", err)...)
	case n.Sessions+n.LinkTokens > 0:
		j.log.Info("janitor: cleaned up", attrs...)
	default:
		j.log.Debug("janitor: nothing to clean up", attrs...)
	}
}
