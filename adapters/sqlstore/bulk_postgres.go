package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"crm/domain"
)

// copyTickets is the Postgres dialect's bulkInsert: it reserves ids for ts
// from the tickets' identity sequence, then writes the tickets (ids
// given: COPY FROM writes identity columns' values as given, like
// OVERRIDING SYSTEM VALUE), their history and their comments with COPY, in
// one transaction of the pgx connection under one of the pool's. Row
// triggers (ticket_counts) and the generated search_vector apply as for
// INSERT. The ids are set on ts only once the transaction has committed.
// It fails when the pool's driver is not pgx's stdlib.
func copyTickets(ctx context.Context, s *Store, ts []*domain.Ticket) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("copy tickets: connection: %w", err)
	}
	defer func() { _ = conn.Close() }()
	var ids []int64
	err = conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy tickets: driver connection is %T, not pgx", driverConn)
		}
		return pgx.BeginFunc(ctx, c.Conn(), func(tx pgx.Tx) error {
			var err error
			if ids, err = reserveTicketIDs(ctx, tx, len(ts)); err != nil {
				return err
			}
			tickets := make([][]any, len(ts))
			var history, comments [][]any
			for i, t := range ts {
				tickets[i] = copyRow(s, append([]any{ids[i]}, ticketArgs(t)...))
				for _, h := range t.History() {
					history = append(history, copyRow(s, historyArgs(ids[i], h)))
				}
				for _, c := range t.Comments() {
					comments = append(comments, copyRow(s, commentArgs(ids[i], c)))
				}
			}
			if err := copyInto(ctx, tx, "tickets", append([]string{"id"}, insertColumns(insertTicket)...), tickets); err != nil {
				return err
			}
			if err := copyInto(ctx, tx, "ticket_history", insertColumns(insertHistory), history); err != nil {
				return err
			}
			return copyInto(ctx, tx, "ticket_comments", insertColumns(insertComment), comments)
		})
	})
	if err != nil {
		return err
	}
	for i, t := range ts {
		t.SetID(ids[i])
	}
	return nil
}

// reserveTicketIDs draws n ids from the tickets' identity sequence, in
// ascending order. Other writers may draw ids between them.
func reserveTicketIDs(ctx context.Context, tx pgx.Tx, n int) ([]int64, error) {
	const q = `SELECT nextval(pg_get_serial_sequence('tickets', 'id')) FROM generate_series(1, $1)`
	rows, _ := tx.Query(ctx, q, n)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("reserve ticket ids: %w", err)
	}
	if len(ids) != n {
		return nil, fmt.Errorf("reserve ticket ids: %d for %d tickets", len(ids), n)
	}
	slices.Sort(ids)
	return ids, nil
}

// copyInto writes rows into table's columns with COPY FROM.
func copyInto(ctx context.Context, tx pgx.Tx, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	if n != int64(len(rows)) {
		return fmt.Errorf("copy %s: %d of %d rows written", table, n, len(rows))
	}
	return nil
}

// copyRow puts args, a statement's arguments, into the values COPY
// writes: times in the stored form (Store.args), a missing id as NULL.
func copyRow(s *Store, args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case sql.NullInt64:
			args[i] = nil
			if v.Valid {
				args[i] = v.Int64
			}
		case sql.NullBool: // a response target's met, when decided
			args[i] = nil
			if v.Valid {
				args[i] = v.Bool
			}
		case sql.NullString: // a ticket's calendar, when it has targets
			args[i] = nil
			if v.Valid {
				args[i] = v.String
			}
		}
	}
	return s.args(args)
}

// insertColumns returns the columns an "INSERT INTO t (a, b, …) VALUES "
// statement names, in its order.
func insertColumns(insert string) []string {
	_, list, _ := strings.Cut(insert, "(")
	list, _, _ = strings.Cut(list, ")")
	cols := strings.Split(list, ",")
	for i, c := range cols {
		cols[i] = strings.TrimSpace(c)
	}
	return cols
}
