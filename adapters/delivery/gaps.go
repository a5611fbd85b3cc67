package delivery

import (
	"context"
	"fmt"
	"math"
	"time"
)

// idGaps follows which event ids below the newest one read are still
// missing. Ids are given out when an event is inserted, not when its
// transaction commits: on PostgreSQL an event can commit after a newer
// one, and the fan-out, which reads past the newest event it has seen,
// would pass it by. Only such an id needs reading again, so the fan-out
// notes each id missing when it reads past it (a gap), asks after the
// gaps at each pass, and reads again from the oldest gap that filled,
// instead of reading every event of the commit window at every sweep.
// A gap that stays open for the commit window was a rolled-back insert
// (the cursor makes the same assumption) and is forgotten.
type idGaps struct {
	// read is the id up to which every id has been read: each one is
	// either stored or in open.
	read    int64
	started bool
	open    []gap // oldest first, not overlapping
	// filled is the oldest id of a gap found filled that not every
	// handler has read since (0: none); kept until a pass succeeds.
	filled int64
}

// gap is a run of missing ids, from lo to hi, first met at since.
type gap struct {
	lo, hi int64
	since  time.Time
	// checked is when the gap was last asked after.
	checked time.Time
}

// idReadBatch bounds the ids read in one statement.
const idReadBatch = 10000

// advance reads the ids stored past read, noting the missing ones as
// gaps, up to the newest.
func (g *idGaps) advance(ctx context.Context, feed EventFeed, now time.Time) error {
	for {
		ids, err := feed.EventIDs(ctx, g.read, math.MaxInt64, idReadBatch)
		if err != nil {
			return fmt.Errorf("event ids after %d: %w", g.read, err)
		}
		for _, id := range ids {
			if id > g.read+1 {
				g.open = append(g.open, gap{lo: g.read + 1, hi: id - 1, since: now, checked: now})
			}
			g.read = id
		}
		if len(ids) < idReadBatch {
			return nil
		}
	}
}

// check asks after the open gaps: a gap met within recheckEvery of now
// at every pass (most are transactions about to commit), an older one
// once per recheckEvery. Ids found stored leave their gap and lower
// filled; gaps older than window are forgotten.
func (g *idGaps) check(ctx context.Context, feed EventFeed, now time.Time, window, recheckEvery time.Duration) error {
	kept := make([]gap, 0, len(g.open)) // a gap may split in two
	for i, gp := range g.open {
		if now.Sub(gp.since) >= window {
			continue
		}
		young := now.Sub(gp.since) < recheckEvery
		if !young && now.Sub(gp.checked) < recheckEvery {
			kept = append(kept, gp)
			continue
		}
		ids, err := feed.EventIDs(ctx, gp.lo-1, gp.hi, int(min(gp.hi-gp.lo+1, idReadBatch)))
		if err != nil {
			g.open = append(kept, g.open[i:]...)
			return fmt.Errorf("event ids from %d to %d: %w", gp.lo, gp.hi, err)
		}
		gp.checked = now
		for _, id := range ids {
			if g.filled == 0 || id < g.filled {
				g.filled = id
			}
			if id > gp.lo { // the ids before it are still missing
				kept = append(kept, gap{lo: gp.lo, hi: id - 1, since: gp.since, checked: now})
			}
			gp.lo = id + 1
		}
		if gp.lo <= gp.hi && len(ids) < idReadBatch {
			kept = append(kept, gp)
		} else if gp.lo <= gp.hi { // more stored than one read: ask again next pass
			gp.checked = time.Time{}
			kept = append(kept, gp)
		}
	}
	g.open = kept
	return nil
}

// forgetBelow drops what the cursors have passed: no handler reads below
// them again.
func (g *idGaps) forgetBelow(cursor int64) {
	kept := g.open[:0]
	for _, gp := range g.open {
		if gp.hi > cursor {
			kept = append(kept, gp)
		}
	}
	g.open = kept
}
