package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"crm/domain"
)

// maxBoundValues is how many values one statement of AddMany binds at
// most: SQLite's default bound (SQLITE_MAX_VARIABLE_NUMBER), under
// PostgreSQL's 65,535.
const maxBoundValues = 32766

// rowsPerInsert is how many rows one multi-row INSERT of AddMany carries
// at most. The statement is prepared once and run for every full chunk:
// SQLite parses a statement of thousands of rows for about as long as it
// takes to run it (9 % of a bulk load, when each chunk was parsed anew).
// The size of a chunk does not shape the search index: the tickets it
// adds are indexed at the commit (indexPendingTickets).
const rowsPerInsert = 500

// AddMany stores new tickets with their history and comments in one
// transaction and sets their ids, in the order of ts. It records no
// events: it is for loading data (crm demo --tickets), not for people's
// requests, whose tickets must be announced. The dialect's bulkInsert
// does the writing when it has one; otherwise multi-row INSERTs do.
func (s *Tickets) AddMany(ctx context.Context, ts []*domain.Ticket) error {
	for _, t := range ts {
		if t.ID() != 0 {
			return fmt.Errorf("add ticket %d: already stored", t.ID())
		}
	}
	if len(ts) == 0 {
		return nil
	}
	if s.s.d.bulkInsert != nil {
		return s.s.d.bulkInsert(ctx, s.s, ts)
	}
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error { return s.s.insertMany(ctx, tx, ts) })
}

// BulkWriters is how many AddMany calls a bulk load had best run at once
// on this store, at least 1: SQLite writes one transaction at a time,
// PostgreSQL stores several batches side by side. Two calls at once may
// give the later batch the lower ids.
func (s *Tickets) BulkWriters() int { return max(1, s.s.d.bulkWriters) }

// insertMany inserts ts, then their history and comments, in tx with
// multi-row INSERTs, and sets their ids.
func (s *Store) insertMany(ctx context.Context, tx *sqlx.Tx, ts []*domain.Ticket) error {
	tickets := make([][]any, len(ts))
	for i, t := range ts {
		tickets[i] = ticketArgs(t)
	}
	var ids []int64
	if err := s.insertRows(ctx, tx, tickets, insertTicket, ticketValues, ` RETURNING id`, &ids); err != nil {
		return fmt.Errorf("insert tickets: %w", err)
	}
	if len(ids) != len(ts) {
		return fmt.Errorf("insert tickets: %d ids for %d tickets", len(ids), len(ts))
	}
	// Both databases draw the ids of one INSERT in the order of its
	// VALUES, and the INSERTs run one after another, so the ids, sorted,
	// belong to ts in order.
	slices.Sort(ids)
	for i, t := range ts {
		t.SetID(ids[i])
	}
	var history, comments [][]any
	for _, t := range ts {
		for _, h := range t.History() {
			history = append(history, historyArgs(t.ID(), h))
		}
		for _, c := range t.Comments() {
			comments = append(comments, commentArgs(t.ID(), c))
		}
	}
	if err := s.insertRows(ctx, tx, history, insertHistory, historyValues, "", nil); err != nil {
		return fmt.Errorf("insert history: %w", err)
	}
	if err := s.insertRows(ctx, tx, comments, insertComment, commentValues, "", nil); err != nil {
		return fmt.Errorf("insert comments: %w", err)
	}
	return nil
}

// insertRows inserts rows, each the values of one "(?, …)" group, in tx
// with statements "insert values, values, … tail" of rowsPerInsert rows
// (fewer when they would bind more than maxBoundValues), each size of
// statement prepared once. With returned, each statement's rows
// (tail's RETURNING id) are appended to it.
func (s *Store) insertRows(ctx context.Context, tx *sqlx.Tx, rows [][]any, insert, values, tail string, returned *[]int64) error {
	if len(rows) == 0 {
		return nil
	}
	per := min(rowsPerInsert, maxBoundValues/len(rows[0]))
	statement := func(n int) string {
		return s.db.Rebind(insert + strings.Repeat(values+", ", n-1) + values + tail)
	}
	// At most two statements: the full chunks' and the last one's.
	prepared := map[int]*sqlx.Stmt{}
	defer func() {
		for _, st := range prepared {
			_ = st.Close()
		}
	}()
	for chunk := range slices.Chunk(rows, per) {
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for _, r := range chunk {
			args = append(args, r...)
		}
		args = s.args(args)
		st := prepared[len(chunk)]
		if st == nil {
			var err error
			if st, err = tx.PreparexContext(ctx, statement(len(chunk))); err != nil {
				return err
			}
			prepared[len(chunk)] = st
		}
		if returned == nil {
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
			continue
		}
		var ids []int64
		if err := st.SelectContext(ctx, &ids, args...); err != nil {
			return err
		}
		*returned = append(*returned, ids...)
	}
	return nil
}
