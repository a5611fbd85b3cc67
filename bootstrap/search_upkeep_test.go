package bootstrap

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
)

// The upkeep merges after its first delay and again after each interval,
// logs what a merge did and a failure (and goes on after one), and stops
// when asked, cancelling a merge under way.
func TestSearchUpkeepMergesRepeatedlyLogsAndStops(t *testing.T) {
	calls := make(chan int, 10)
	n := 0
	merge := func(ctx context.Context) (sqlstore.SearchMerge, error) {
		n++
		calls <- n
		switch n {
		case 1:
			return sqlstore.SearchMerge{Segments: 9, Steps: 3}, nil
		case 2:
			return sqlstore.SearchMerge{Segments: 7}, errors.New("disk full")
		default:
			<-ctx.Done() // a long merge, cut short by Stop
			return sqlstore.SearchMerge{}, ctx.Err()
		}
	}
	var logs bytes.Buffer
	u := newSearchUpkeep(merge, slog.New(slog.NewTextHandler(&logs, nil)), time.Millisecond, time.Millisecond)
	require.NoError(t, u.Start(t.Context()))
	for want := 1; want <= 3; want++ {
		select {
		case got := <-calls:
			require.Equal(t, want, got)
		case <-time.After(10 * time.Second):
			t.Fatalf("merge %d never ran", want)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	require.NoError(t, u.Stop(ctx), "a merge under way ends when the upkeep stops")

	out := logs.String()
	assert.Contains(t, out, "merged the search index")
	assert.Contains(t, out, "segments=9 steps=3")
	assert.Contains(t, out, "failed, will retry")
	assert.Contains(t, out, "disk full")
	assert.Equal(t, 1, bytes.Count(logs.Bytes(), []byte("level=ERROR")), "the merge cut short by Stop is not an error")
}
