package sqlstore

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// searchMerge is how a dialect whose full-text index is kept in segments
// (SQLite's FTS5) counts them and merges them a step at a time.
type searchMerge struct {
	// segments counts the index's segments.
	segments string
	// step merges every segment together, writing a few pages at most;
	// run again, it goes on where the last step stopped.
	step string
}

// sqliteSearchMerge: FTS5 writes a segment at every commit that indexed
// tickets and merges them itself only level by level (automerge), so
// after many writes a search reads its terms from a dozen segments. A
// negative 'merge' puts them all on one level first; 100 pages (of 4 kB) a
// step keep each step's write transaction short.
var sqliteSearchMerge = &searchMerge{
	segments: `SELECT count(DISTINCT segid) FROM tickets_fts_idx`,
	step:     `INSERT INTO tickets_fts (tickets_fts, rank) VALUES ('merge', -100)`,
}

// maxSearchSegments is how many segments MergeSearchIndex leaves alone.
// At a million tickets, a search over the eight segments a bulk load left
// cost crm 11–26 % more CPU than over one (means of two rounds, see the
// README's Figures).
const maxSearchSegments = 4

// maxMergeSteps bounds one MergeSearchIndex, against writers adding
// segments as fast as it merges them; the next run goes on.
const maxMergeSteps = 100_000

// SearchMerge is what one MergeSearchIndex did.
type SearchMerge struct {
	Segments int // the segments it found
	Steps    int // write transactions it ran to merge them (0: none needed)
}

// MergeSearchIndex merges the full-text index into one segment when it
// has more than maxSearchSegments, in steps of a few pages, each a write
// transaction of its own, so that other writers wait for one step at
// most. A dialect whose index needs no merging (PostgreSQL's GIN and word
// index) returns at once.
func (s *Store) MergeSearchIndex(ctx context.Context) (SearchMerge, error) {
	m := s.d.searchMerge
	if m == nil {
		return SearchMerge{}, nil
	}
	var out SearchMerge
	if err := s.get(ctx, nil, &out.Segments, m.segments); err != nil {
		return out, fmt.Errorf("count search index segments: %w", err)
	}
	if out.Segments <= maxSearchSegments {
		return out, nil
	}
	for out.Steps < maxMergeSteps {
		// A step that changed fewer than two rows found nothing left to
		// merge (the FTS5 documentation's test).
		var before, after int64
		err := s.inTx(ctx, func(tx *sqlx.Tx) error {
			if err := tx.GetContext(ctx, &before, `SELECT total_changes()`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, m.step); err != nil {
				return err
			}
			return tx.GetContext(ctx, &after, `SELECT total_changes()`)
		})
		if err != nil {
			return out, fmt.Errorf("merge search index, step %d: %w", out.Steps+1, err)
		}
		out.Steps++
		if after-before < 2 {
			break
		}
	}
	return out, nil
}
