package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"crm/application"
)

// Store runs the package's queries on one database. The port
// implementations (Users, Tickets, …) share it.
type Store struct {
	db *sqlx.DB
	d  *Dialect

	mu    sync.RWMutex
	stmts map[string]*sqlx.Stmt // by the query as written, before rebinding

	// later holds queries a transaction ran unprepared (see stmt), to be
	// prepared once it has given its connection back.
	later sync.Map // query → struct{}

	// writer is the in-process write lock of a oneWriter dialect (a
	// channel, so that waiting for it can end with the context); nil
	// where writers run side by side.
	writer chan struct{}
	queue  writeQueue // the writes waiting for writer (see inBatchedTx)
}

// New returns a Store over db, which speaks dialect d (SQLite or Postgres).
func New(db *sqlx.DB, d *Dialect) *Store {
	s := &Store{db: db, d: d, stmts: map[string]*sqlx.Stmt{}}
	if d.oneWriter {
		s.writer = make(chan struct{}, 1)
	}
	return s
}

// Close releases the prepared statements; the database stays open.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for q, st := range s.stmts {
		_ = st.Close()
		delete(s.stmts, q)
	}
	return nil
}

// args puts every time among args into the dialect's stored form.
func (s *Store) args(args []any) []any {
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			args[i] = s.d.timeArg(t)
		}
	}
	return args
}

// get runs q (with "?" placeholders) and scans its one row into dest;
// sql.ErrNoRows when there is none. tx may be nil.
func (s *Store) get(ctx context.Context, tx *sqlx.Tx, dest any, q string, args ...any) error {
	s.observe(ctx, q, args)
	if tx == nil && s.writer != nil && isWrite(q) { // INSERT … RETURNING
		unlock, err := s.lockWrites(ctx)
		if err != nil {
			return err
		}
		defer unlock()
	}
	r, err := s.stmt(ctx, tx, q)
	if err != nil {
		return s.fault(err)
	}
	return s.fault(r.GetContext(ctx, dest, s.args(args)...))
}

// sel runs q and scans every row into the slice dest points to.
func (s *Store) sel(ctx context.Context, tx *sqlx.Tx, dest any, q string, args ...any) error {
	s.observe(ctx, q, args)
	r, err := s.stmt(ctx, tx, q)
	if err != nil {
		return s.fault(err)
	}
	return s.fault(r.SelectContext(ctx, dest, s.args(args)...))
}

// exec runs q, which returns no rows.
func (s *Store) exec(ctx context.Context, tx *sqlx.Tx, q string, args ...any) (sql.Result, error) {
	s.observe(ctx, q, args)
	if tx == nil {
		unlock, err := s.lockWrites(ctx)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	r, err := s.stmt(ctx, tx, q)
	if err != nil {
		return nil, s.fault(err)
	}
	res, err := r.ExecContext(ctx, s.args(args)...)
	return res, s.fault(err)
}

// execAlone runs q, one statement that writes, as a transaction of its
// own: on a oneWriter dialect among the writes waiting at that moment
// (inTx), elsewhere by itself, one round trip without BEGIN and COMMIT.
func (s *Store) execAlone(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if s.writer == nil {
		return s.exec(ctx, nil, q, args...)
	}
	var res sql.Result
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		res, err = s.exec(ctx, tx, q, args...)
		return err
	})
	return res, err
}

// affected returns how many rows res changed.
func affected(res sql.Result) (int, error) {
	n, err := res.RowsAffected()
	return int(n), err
}

// inTx runs fn in a write transaction and commits it. An error from fn
// rolls back and is returned as is (wrapped by fault when the database is
// unavailable); otherwise the commit's error is returned. On SQLite the
// writes waiting at the same moment share one transaction, each under its
// own savepoint (see inBatchedTx); fn must not assume it is alone in it.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if s.writer != nil {
		return s.inBatchedTx(ctx, fn)
	}
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return err
	}
	err = s.runTx(ctx, nil, fn)
	unlock()
	s.prepareLater(ctx)
	return err
}

// inReadTx runs fn in a read-only transaction, so that the reads it makes
// see one snapshot.
func (s *Store) inReadTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	err := s.runTx(ctx, s.d.readTx, fn)
	s.prepareLater(ctx)
	return err
}

// runTx runs fn in a transaction begun with opts and commits it.
func (s *Store) runTx(ctx context.Context, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, opts)
	if err != nil {
		return s.fault(fmt.Errorf("begin: %w", err))
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit; covers a panic in fn
	if err := fn(tx); err != nil {
		return s.fault(err)
	}
	if opts == nil || !opts.ReadOnly {
		if err := s.finishWrites(ctx, tx); err != nil {
			return s.fault(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.fault(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// fault returns err wrapped with application.ErrStorageUnavailable when
// the dialect says it means the database cannot serve requests now (once:
// an error wrapped already is returned as it is), else err unchanged.
func (s *Store) fault(err error) error {
	if err == nil || errors.Is(err, application.ErrStorageUnavailable) || !s.d.unavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", application.ErrStorageUnavailable, err)
}

// readyTimeout bounds the readiness probe.
const readyTimeout = 5 * time.Second

// Ready reports whether the database can take writes now: it begins a
// write transaction (on SQLite, BEGIN IMMEDIATE: the write lock), runs a
// DELETE that matches no row, and rolls back, so nothing changes. A
// read-only file or connection, a read-only PostgreSQL (a standby, or
// default_transaction_read_only), a lost connection or a lock held past
// the timeout fail it, wrapped with application.ErrStorageUnavailable.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return s.fault(fmt.Errorf("wait for the write lock: %w", err))
	}
	defer unlock()
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return s.fault(fmt.Errorf("begin: %w", err))
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE 1 = 0`); err != nil {
		return s.fault(fmt.Errorf("write probe: %w", err))
	}
	return nil
}

// timestamp scans a stored time of either dialect: unix microseconds
// (SQLite) or timestamptz (PostgreSQL); NULL scans as the zero time.
type timestamp struct{ time.Time }

// Scan implements sql.Scanner.
func (t *timestamp) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.Time = time.Time{}
	case int64:
		t.Time = time.UnixMicro(v).UTC()
	case time.Time:
		t.Time = v.UTC()
	default:
		return fmt.Errorf("scan time: unexpected %T", src)
	}
	return nil
}

// nullID stores 0 (no id) as NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// marks returns "?, ?, ?" for n values.
func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// likePattern matches query anywhere in a lower-cased column, taking % and
// _ in query literally (ESCAPE '\').
func likePattern(query string) string {
	escaped := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(query))
	return "%" + escaped + "%"
}

// filter collects the conditions of a WHERE clause and their arguments.
type filter struct {
	conds []string
	args  []any
	// samePlan says the best plan of a query with this filter does not
	// depend on its values (a person's own tickets: the owner's index,
	// whoever the owner), so it may run prepared like the fixed queries.
	samePlan bool
}

// planEachRunMark, a comment in a query, asks that the database plan the
// query for its arguments every time it runs (Dialect.planEachRun): where
// adds it to the queries built from a filter. Which index serves a list
// best depends on the values it filters by, and a plan made once for any
// values (PostgreSQL's generic plan of a prepared statement) would read
// the newest tickets one by one looking for a rare word instead of asking
// the search index.
const planEachRunMark = "/* plan each run */"

// PlannedEachRun reports whether the store has the database plan q for its
// arguments every time it runs (planEachRunMark), for tests that read
// plans as the store's queries get them.
func PlannedEachRun(q string) bool { return strings.Contains(q, planEachRunMark) }

// add appends a condition in which each "?" stands for one of args.
func (f *filter) add(cond string, args ...any) {
	f.conds = append(f.conds, cond)
	f.args = append(f.args, args...)
}

// enumEquals adds column = value: with value written into the query when
// literal, so that each value has a statement (and a plan) of its own,
// else as an argument. Only a value of one of the domain's enumerations
// (a status, a type: lower-case letters and underscores) is ever written
// in; any other goes as an argument.
func (f *filter) enumEquals(column, value string, literal bool) {
	for _, c := range value {
		if c != '_' && (c < 'a' || c > 'z') {
			literal = false
		}
	}
	if literal && value != "" {
		f.add(column + " = '" + value + "'")
		return
	}
	f.add(column+" = ?", value)
}

// where returns the WHERE clause, or "" when there is no condition.
func (f *filter) where() string {
	if len(f.conds) == 0 {
		return ""
	}
	if f.samePlan {
		return " WHERE " + strings.Join(f.conds, " AND ")
	}
	return " " + planEachRunMark + " WHERE " + strings.Join(f.conds, " AND ")
}

// clone returns an independent copy of f, to add conditions to.
func (f *filter) clone() *filter {
	return &filter{conds: append([]string(nil), f.conds...), args: append([]any(nil), f.args...), samePlan: f.samePlan}
}
