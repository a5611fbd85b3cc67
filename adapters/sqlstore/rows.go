package sqlstore

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"
)

// The hot reads (the rows of a list page, the session every request looks
// up) scan their rows with rows.Scan into fields they name, rather than
// through sqlx, whose Get and Select map the columns onto a struct by
// reflection on every call. They run through the same statement cache as
// get and sel, with the same time encoding of the arguments, the same
// observer and the same fault wrapping of errors. q is a SELECT: they take
// no write lock.

// query runs q and calls scan once for each row, rows standing on that
// row; scan calls rows.Scan. An error of scan ends the reading and is
// returned (through fault).
func (s *Store) query(ctx context.Context, tx *sqlx.Tx, q string, args []any, scan func(rows *sql.Rows) error) error {
	rows, err := s.rows(ctx, tx, q, args)
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return s.fault(err)
		}
	}
	if err := rows.Err(); err != nil {
		return s.fault(err)
	}
	return s.fault(rows.Close())
}

// getRow runs q and scans its first row into dest, as rows.Scan does;
// sql.ErrNoRows when there is none.
func (s *Store) getRow(ctx context.Context, tx *sqlx.Tx, q string, args []any, dest ...any) error {
	rows, err := s.rows(ctx, tx, q, args)
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return s.fault(err)
		}
		return sql.ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return s.fault(err)
	}
	return s.fault(rows.Close())
}

// rows runs q, in tx when tx is not nil, and returns its rows.
func (s *Store) rows(ctx context.Context, tx *sqlx.Tx, q string, args []any) (*sql.Rows, error) {
	s.observe(ctx, q, args)
	r, err := s.stmt(ctx, tx, q)
	if err != nil {
		return nil, s.fault(err)
	}
	rows, err := r.QueryContext(ctx, s.args(args)...)
	if err != nil {
		return nil, s.fault(err)
	}
	return rows, nil
}
