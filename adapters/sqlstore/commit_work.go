package sqlstore

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// commitWork is what a dialect does at the end of every write transaction:
// the statements of run, in order, when check finds something to do.
type commitWork struct {
	check string
	run   []string
}

// finishWrites does the dialect's commitWork in tx, if any.
func (s *Store) finishWrites(ctx context.Context, tx *sqlx.Tx) error {
	w := s.d.beforeCommit
	if w == nil {
		return nil
	}
	var due bool
	if err := s.get(ctx, tx, &due, w.check); err != nil {
		return fmt.Errorf("before commit: %w", err)
	}
	if !due {
		return nil
	}
	for _, q := range w.run {
		if _, err := s.exec(ctx, tx, q); err != nil {
			return fmt.Errorf("before commit: %w", err)
		}
	}
	return nil
}
