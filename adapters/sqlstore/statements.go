package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// maxStatements bounds the prepared statements a Store keeps. The queries
// are the constants of this package and the filter combinations of the
// lists, a few hundred at most; past the bound a query runs unprepared.
const maxStatements = 1024

// prepared returns the statement prepared for q, preparing it the first
// time; nil (and no error) when the cache is full.
//
// It prepares without holding s.mu: preparing waits for a free connection,
// and the transactions holding every connection may be waiting for s.mu
// to look up their next statement (see stmt), which would never end.
func (s *Store) prepared(ctx context.Context, q string) (*sqlx.Stmt, error) {
	s.mu.RLock()
	st, full := s.stmts[q], len(s.stmts) >= maxStatements
	s.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	if full {
		return nil, nil
	}
	st, err := s.db.PreparexContext(ctx, s.db.Rebind(q))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if first := s.stmts[q]; first != nil { // prepared meanwhile by another
		_ = st.Close()
		return first, nil
	}
	if len(s.stmts) >= maxStatements {
		_ = st.Close()
		return nil, nil
	}
	s.stmts[q] = st
	return st, nil
}

// prepareLater prepares the queries transactions ran unprepared. It runs
// after a transaction, holding no connection. A query that fails to
// prepare is left to run unprepared, and to fail there if it is wrong.
func (s *Store) prepareLater(ctx context.Context) {
	s.later.Range(func(q, _ any) bool {
		s.later.Delete(q)
		_, _ = s.prepared(ctx, q.(string))
		return true
	})
}

// runner is what runs a statement: the prepared statement (bound to tx
// when there is one), or the database or tx itself when the cache is
// full.
type runner interface {
	GetContext(ctx context.Context, dest any, args ...any) error
	SelectContext(ctx context.Context, dest any, args ...any) error
	ExecContext(ctx context.Context, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, args ...any) (*sql.Rows, error)
}

// unprepared runs a rebound query directly on the database or tx, with
// lead (Dialect.planEachRun, or nothing) before its arguments.
type unprepared struct {
	q    sqlx.ExtContext
	s    string
	lead []any
}

func (u unprepared) with(args []any) []any {
	if len(u.lead) == 0 {
		return args
	}
	return append(append(make([]any, 0, len(u.lead)+len(args)), u.lead...), args...)
}

func (u unprepared) GetContext(ctx context.Context, dest any, args ...any) error {
	return sqlx.GetContext(ctx, u.q, dest, u.s, u.with(args)...)
}

func (u unprepared) SelectContext(ctx context.Context, dest any, args ...any) error {
	return sqlx.SelectContext(ctx, u.q, dest, u.s, u.with(args)...)
}

func (u unprepared) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return u.q.ExecContext(ctx, u.s, u.with(args)...)
}

func (u unprepared) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return u.q.QueryContext(ctx, u.s, u.with(args)...)
}

// stmt returns what runs q, in tx when tx is not nil.
//
// Inside a transaction a statement not prepared yet runs unprepared:
// preparing it on the database would wait for a free connection while tx
// holds one, and when every connection is held by a transaction waiting
// for tx's lock, that wait never ends. It is prepared once the
// transaction is over (prepareLater), for the next one. A query marked
// planEachRunMark runs unprepared where the dialect says how
// (Dialect.planEachRun).
func (s *Store) stmt(ctx context.Context, tx *sqlx.Tx, q string) (runner, error) {
	if s.d.planEachRun != nil && strings.Contains(q, planEachRunMark) {
		if tx != nil {
			return unprepared{tx, s.db.Rebind(q), s.d.planEachRun}, nil
		}
		return unprepared{s.db, s.db.Rebind(q), s.d.planEachRun}, nil
	}
	var st *sqlx.Stmt
	if tx != nil {
		s.mu.RLock()
		st = s.stmts[q]
		s.mu.RUnlock()
	} else {
		var err error
		if st, err = s.prepared(ctx, q); err != nil {
			return nil, err
		}
	}
	switch {
	case st != nil && tx != nil:
		return tx.StmtxContext(ctx, st), nil
	case st != nil:
		return st, nil
	case tx != nil:
		s.later.Store(q, struct{}{})
		return unprepared{tx, s.db.Rebind(q), nil}, nil
	default:
		return unprepared{s.db, s.db.Rebind(q), nil}, nil
	}
}
