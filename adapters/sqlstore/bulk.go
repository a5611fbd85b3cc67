package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"crm/domain"
)

// bulkRows is how many rows one INSERT of AddMany carries: 11 values a
// ticket keep it under both databases' limits on bound values.
const bulkRows = 500

// AddMany stores new tickets with their history and comments in one
// transaction, many rows per statement, and sets their ids. It records no
// events: it is for loading data (crm demo --tickets), not for people's
// requests, whose tickets must be announced.
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
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		for chunk := range slices.Chunk(ts, bulkRows) {
			if err := s.insertTickets(ctx, tx, chunk); err != nil {
				return err
			}
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
		if err := s.s.insertRows(ctx, tx, insertHistory, historyValues, history); err != nil {
			return fmt.Errorf("insert history: %w", err)
		}
		if err := s.s.insertRows(ctx, tx, insertComment, commentValues, comments); err != nil {
			return fmt.Errorf("insert comments: %w", err)
		}
		return nil
	})
}

// insertTickets inserts ts with one statement and sets their ids. Both
// databases draw the ids of one INSERT in the order of its VALUES, so the
// ids returned, sorted, belong to ts in order.
func (s *Tickets) insertTickets(ctx context.Context, tx *sqlx.Tx, ts []*domain.Ticket) error {
	args := make([]any, 0, len(ts)*11)
	for _, t := range ts {
		args = append(args, ticketArgs(t)...)
	}
	q := insertTicket + strings.Repeat(ticketValues+", ", len(ts)-1) + ticketValues + ` RETURNING id`
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, tx.Rebind(q), s.s.args(args)...); err != nil {
		return fmt.Errorf("insert tickets: %w", err)
	}
	if len(ids) != len(ts) {
		return fmt.Errorf("insert tickets: %d ids for %d tickets", len(ids), len(ts))
	}
	slices.Sort(ids)
	for i, t := range ts {
		t.SetID(ids[i])
	}
	return nil
}

// insertRows inserts rows (each the values of one "(?, …)" group) with as
// few statements as the bound on values allows.
func (s *Store) insertRows(ctx context.Context, tx *sqlx.Tx, insert, values string, rows [][]any) error {
	for chunk := range slices.Chunk(rows, bulkRows) {
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for _, r := range chunk {
			args = append(args, r...)
		}
		q := insert + strings.Repeat(values+", ", len(chunk)-1) + values
		if _, err := tx.ExecContext(ctx, tx.Rebind(q), s.args(args)...); err != nil {
			return err
		}
	}
	return nil
}
