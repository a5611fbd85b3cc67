package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"crm/domain"
)

// moveToTicket are the statements that move what a duplicate has to the
// ticket it is merged into. Each row keeps its id, so a moved comment keeps
// its files and its place in time; the indexes on (ticket_id, id) serve
// both the move and every later read.
var moveToTicket = []struct{ what, q string }{
	{"history", `UPDATE ticket_history SET ticket_id = ? WHERE ticket_id = ?`},
	{"comments", `UPDATE ticket_comments SET ticket_id = ? WHERE ticket_id = ?`},
	{"files", `UPDATE ticket_attachments SET ticket_id = ? WHERE ticket_id = ?`},
}

// Merge loads the tickets dupID and intoID in one write transaction, both
// locked, calls fn, moves the duplicate's stored history, comments and
// files to intoID, and saves both tickets and their events. The rows are
// locked in the order of their ids, so two merges of one pair in opposite
// directions wait for each other instead of deadlocking. The kept counts
// and the search index follow the tickets' rows by the database's
// triggers, in the same transaction. Errors: ErrTicketNotFound (no
// dupID), ErrMergeTargetNotFound (no intoID), or fn's.
func (s *Tickets) Merge(ctx context.Context, dupID, intoID int64, fn func(dup, into *domain.Ticket) error) error {
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		loaded := map[int64]*domain.Ticket{}
		for _, id := range []int64{min(dupID, intoID), max(dupID, intoID)} {
			if loaded[id] != nil {
				continue // merged into itself: fn refuses it
			}
			t, err := s.load(ctx, tx, id, s.s.d.lockRow)
			if errors.Is(err, domain.ErrTicketNotFound) && id == intoID && id != dupID {
				return domain.ErrMergeTargetNotFound
			}
			if err != nil {
				return err
			}
			loaded[id] = t
		}
		dup, into := loaded[dupID], loaded[intoID]
		if err := fn(dup, into); err != nil {
			return err
		}
		if dupID == intoID {
			return fmt.Errorf("merge ticket %d into itself", dupID)
		}
		for _, m := range moveToTicket {
			if _, err := s.s.exec(ctx, tx, m.q, intoID, dupID); err != nil {
				return fmt.Errorf("move %s of ticket %d to %d: %w", m.what, dupID, intoID, err)
			}
		}
		if err := s.save(ctx, tx, dup); err != nil {
			return err
		}
		return s.save(ctx, tx, into)
	})
}
