package delivery

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// storedIDs is an EventFeed that knows only which event ids are stored,
// and counts how often it is asked.
type storedIDs struct {
	EventFeed
	ids   []int64
	reads int
}

func (s *storedIDs) EventIDs(_ context.Context, after, through int64, limit int) ([]int64, error) {
	s.reads++
	var out []int64
	for _, id := range s.ids {
		if id > after && id <= through && len(out) < limit {
			out = append(out, id)
		}
	}
	return out, nil
}

func (s *storedIDs) store(ids ...int64) {
	s.ids = append(s.ids, ids...)
	slices.Sort(s.ids)
}

func TestGapsFollowTheMissingIDsUntilTheyFillOrExpire(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	const window, recheck = 5 * time.Minute, 500 * time.Millisecond
	feed := &storedIDs{}
	feed.store(1, 2, 5, 6, 10)
	g := idGaps{started: true}

	require.NoError(t, g.advance(ctx, feed, t0))
	assert.Equal(t, int64(10), g.read)
	assert.Equal(t, []gap{{lo: 3, hi: 4, since: t0, checked: t0}, {lo: 7, hi: 9, since: t0, checked: t0}}, g.open)

	// 8 commits: the gap splits around it, and the fan-out is to read
	// again from 8.
	feed.store(8)
	require.NoError(t, g.check(ctx, feed, t0, window, recheck))
	assert.Equal(t, int64(8), g.filled)
	assert.Equal(t, []gap{{lo: 3, hi: 4, since: t0, checked: t0}, {lo: 7, hi: 7, since: t0, checked: t0},
		{lo: 9, hi: 9, since: t0, checked: t0}}, g.open)

	// 3 commits: the oldest filled is now 3.
	feed.store(3)
	require.NoError(t, g.check(ctx, feed, t0, window, recheck))
	assert.Equal(t, int64(3), g.filled)
	assert.Len(t, g.open, 3)

	// An older gap is asked after once per recheck, not at every pass.
	later := t0.Add(time.Second)
	feed.reads = 0
	require.NoError(t, g.check(ctx, feed, later, window, recheck))
	assert.Equal(t, 3, feed.reads, "each of the three gaps once")
	require.NoError(t, g.check(ctx, feed, later.Add(recheck/2), window, recheck))
	assert.Equal(t, 3, feed.reads, "not again within the recheck")

	// A gap open for the commit window was a rolled-back insert.
	require.NoError(t, g.check(ctx, feed, t0.Add(window), window, recheck))
	assert.Empty(t, g.open)

	// New ids past the newest read, with a gap among them.
	feed.store(11, 13)
	require.NoError(t, g.advance(ctx, feed, t0.Add(window)))
	assert.Equal(t, int64(13), g.read)
	require.Len(t, g.open, 1)
	assert.Equal(t, [2]int64{12, 12}, [2]int64{g.open[0].lo, g.open[0].hi})
	g.forgetBelow(11)
	assert.Len(t, g.open, 1, "a gap above the lowest cursor stays")
	g.forgetBelow(12)
	assert.Empty(t, g.open, "one the cursors reached goes")
}
