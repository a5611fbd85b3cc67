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
// PostgreSQL's 65,535. A statement carries as many rows as fit, about
// 3,000 tickets: FTS5 writes its pending terms out as a new segment at
// every statement that changes tickets_fts, and fewer, larger segments
// are less merging later.
const maxBoundValues = 32766

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

// insertMany inserts ts, then their history and comments, in tx with
// multi-row INSERTs, and sets their ids.
func (s *Store) insertMany(ctx context.Context, tx *sqlx.Tx, ts []*domain.Ticket) error {
	tickets := make([][]any, len(ts))
	for i, t := range ts {
		tickets[i] = ticketArgs(t)
	}
	var ids []int64
	err := s.insertRows(tickets, insertTicket, ticketValues, ` RETURNING id`, func(q string, args []any) error {
		var chunk []int64
		err := tx.SelectContext(ctx, &chunk, q, args...)
		ids = append(ids, chunk...)
		return err
	})
	if err != nil {
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
	exec := func(q string, args []any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	if err := s.insertRows(history, insertHistory, historyValues, "", exec); err != nil {
		return fmt.Errorf("insert history: %w", err)
	}
	if err := s.insertRows(comments, insertComment, commentValues, "", exec); err != nil {
		return fmt.Errorf("insert comments: %w", err)
	}
	return nil
}

// insertRows inserts rows, each the values of one "(?, …)" group, with
// statements "insert values, values, … tail" of as many rows as
// maxBoundValues allows, calling run with each rebound statement and its
// arguments.
func (s *Store) insertRows(rows [][]any, insert, values, tail string, run func(q string, args []any) error) error {
	if len(rows) == 0 {
		return nil
	}
	for chunk := range slices.Chunk(rows, maxBoundValues/len(rows[0])) {
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for _, r := range chunk {
			args = append(args, r...)
		}
		q := insert + strings.Repeat(values+", ", len(chunk)-1) + values + tail
		if err := run(s.db.Rebind(q), s.args(args)); err != nil {
			return err
		}
	}
	return nil
}
