package bootstrap

import (
	"context"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"crm/adapters/sqlstore"
	"crm/application"
)

// searchUpkeepModule merges SQLite's full-text index when writes have left
// it in many segments (sqlstore.Store.MergeSearchIndex), a minute after
// start and then every hour. Searches read each segment, so a merged index
// keeps them as cheap as right after a load. On PostgreSQL each run
// returns at once.
var searchUpkeepModule = fx.Module("search upkeep", fx.Invoke(startSearchUpkeep))

const (
	searchUpkeepFirst   = time.Minute
	searchUpkeepEvery   = time.Hour
	searchUpkeepTimeout = 30 * time.Minute // a million tickets took 10 s
)

func startSearchUpkeep(lc fx.Lifecycle, store *sqlstore.Store, log *slog.Logger) {
	u := newSearchUpkeep(store.MergeSearchIndex, log, searchUpkeepFirst, searchUpkeepEvery)
	lc.Append(fx.StartStopHook(u.Start, u.Stop))
}

// searchUpkeep runs merge in the background: first after first, then
// every every (from the end of one run to the start of the next). A run
// that fails is logged and tried again at the next.
type searchUpkeep struct {
	merge        func(context.Context) (sqlstore.SearchMerge, error)
	log          *slog.Logger
	first, every time.Duration

	bg application.Background
}

func newSearchUpkeep(merge func(context.Context) (sqlstore.SearchMerge, error), log *slog.Logger,
	first, every time.Duration) *searchUpkeep {
	return &searchUpkeep{merge: merge, log: log, first: first, every: every, bg: application.Background{Name: "search upkeep"}}
}

// Start runs the upkeep in the background and returns at once.
func (u *searchUpkeep) Start(context.Context) error { return u.bg.Start(u.run) }

// Stop cancels a merge under way (the steps done stay done) and returns
// when the upkeep's goroutine is gone, or when ctx ends first.
func (u *searchUpkeep) Stop(ctx context.Context) error { return u.bg.Stop(ctx) }

func (u *searchUpkeep) run(ctx context.Context) {
	application.Repeat(ctx, u.first, u.every, u.once)
}

// once runs one merge and logs what it did.
func (u *searchUpkeep) once(ctx context.Context) {
	runCtx, cancel := context.WithTimeout(ctx, searchUpkeepTimeout)
	defer cancel()
	start := time.Now()
	m, err := u.merge(runCtx)
	attrs := []any{"segments", m.Segments, "steps", m.Steps, "took", time.Since(start)}
	switch {
	case err != nil && ctx.Err() != nil:
		// Stopped halfway: the steps done stay done.
	case err != nil:
		u.log.Error("search upkeep: merging the search index failed, will retry", append(attrs, "next_in", u.every, "err", err)...)
	case m.Steps > 0:
		u.log.Info("search upkeep: merged the search index", attrs...)
	default:
		u.log.Debug("search upkeep: nothing to merge", attrs...)
	}
}
