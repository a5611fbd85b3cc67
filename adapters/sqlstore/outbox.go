package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"crm/application"
	"crm/domain"
)

var (
	_ application.Outbox     = (*Outbox)(nil)
	_ application.Deliveries = (*Outbox)(nil)
)

// Outbox tracks the deliveries of the stored events. A claim leases
// deliveries inside a write transaction: on SQLite the IMMEDIATE
// transaction runs alone; on PostgreSQL the claim skips rows another
// replica is claiming (FOR UPDATE SKIP LOCKED). Either way no two
// dispatchers lease the same delivery.
type Outbox struct{ s *Store }

// NewOutbox returns an Outbox over s.
func NewOutbox(s *Store) *Outbox { return &Outbox{s: s} }

const deliveryColumns = `d.id, d.event_id, e.kind AS event_kind, e.stream, d.handler, d.order_key, d.status,
	d.attempts, d.next_attempt_at, d.last_error, d.note, d.since, d.created_at, d.updated_at`

type deliveryRow struct {
	ID            int64     `db:"id"`
	EventID       int64     `db:"event_id"`
	EventKind     string    `db:"event_kind"`
	Stream        string    `db:"stream"`
	Handler       string    `db:"handler"`
	OrderKey      string    `db:"order_key"`
	Status        string    `db:"status"`
	Attempts      int       `db:"attempts"`
	NextAttemptAt timestamp `db:"next_attempt_at"`
	LastError     string    `db:"last_error"`
	Note          string    `db:"note"`
	Since         timestamp `db:"since"`
	CreatedAt     timestamp `db:"created_at"`
	UpdatedAt     timestamp `db:"updated_at"`
}

func (r deliveryRow) toApplication() application.Delivery {
	return application.Delivery{
		ID: r.ID, EventID: r.EventID, EventKind: r.EventKind, Stream: r.Stream, Handler: r.Handler, Key: r.OrderKey,
		Status: application.DeliveryStatus(r.Status), Attempts: r.Attempts, NextAttemptAt: r.NextAttemptAt.Time,
		LastError: r.LastError, Note: r.Note, Since: r.Since.Time, CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time,
	}
}

type claimedRow struct {
	deliveryRow
	Payload string    `db:"payload"`
	EventAt timestamp `db:"event_at"`
}

// LastEventID returns the id of the newest event, 0 when none.
func (o *Outbox) LastEventID(ctx context.Context) (int64, error) {
	var id int64
	if err := o.s.get(ctx, nil, &id, `SELECT coalesce(max(id), 0) FROM events`); err != nil {
		return 0, fmt.Errorf("select newest event: %w", err)
	}
	return id, nil
}

// Cursor returns the cursor of handler, 0 at first.
func (o *Outbox) Cursor(ctx context.Context, handler string) (int64, error) {
	var id int64
	err := o.s.get(ctx, nil, &id, `SELECT event_id FROM outbox_cursors WHERE handler = ?`, handler)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("select cursor of %s: %w", handler, err)
	}
	return id, nil
}

// AdvanceCursor moves the cursor of handler forward to eventID; never back.
func (o *Outbox) AdvanceCursor(ctx context.Context, handler string, eventID int64) error {
	const q = `INSERT INTO outbox_cursors (handler, event_id) VALUES (?, ?)
		ON CONFLICT (handler) DO UPDATE SET event_id = excluded.event_id
		WHERE excluded.event_id > outbox_cursors.event_id`
	if _, err := o.s.exec(ctx, nil, q, handler, eventID); err != nil {
		return fmt.Errorf("advance cursor of %s: %w", handler, err)
	}
	return nil
}

// EventsWithoutDelivery returns up to limit events after the id after, of
// kinds, without a delivery for handler, oldest first.
func (o *Outbox) EventsWithoutDelivery(ctx context.Context, handler string, kinds []string, after int64, limit int) ([]application.OutboxEvent, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	q := `SELECT e.id, e.kind, e.stream, e.payload, e.created_at FROM events e
		WHERE e.id > ? AND e.kind IN (` + marks(len(kinds)) + `)
		AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.handler = ?)
		ORDER BY e.id LIMIT ?`
	args := []any{after}
	for _, k := range kinds {
		args = append(args, k)
	}
	args = append(args, handler, limit)
	var rows []eventRow
	if err := o.s.sel(ctx, nil, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("select events without delivery: %w", err)
	}
	out := make([]application.OutboxEvent, len(rows))
	for i, r := range rows {
		out[i] = application.OutboxEvent{ID: r.ID, Kind: r.Kind, Stream: r.Stream, Payload: []byte(r.Payload), At: r.CreatedAt.Time}
	}
	return out, nil
}

// EventIDs returns the ids of up to limit events in (after, through], in
// order: a range of the primary key, nothing else read.
func (o *Outbox) EventIDs(ctx context.Context, after, through int64, limit int) ([]int64, error) {
	var ids []int64
	const q = `SELECT id FROM events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`
	if err := o.s.sel(ctx, nil, &ids, q, after, through, limit); err != nil {
		return nil, fmt.Errorf("select event ids: %w", err)
	}
	return ids, nil
}

// AddDeliveries stores ds in one transaction, skipping those whose event and
// handler already have a delivery. They go in a few statements of many rows
// (see deliveryChunk), in the order given: a pass of the dispatcher adds a
// delivery for every ticket written since the one before, and one
// statement each had been a round trip each, as many as the tickets'.
func (o *Outbox) AddDeliveries(ctx context.Context, ds []application.NewDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	return o.s.inTx(ctx, func(tx *sqlx.Tx) error {
		for rest := ds; len(rest) > 0; {
			chunk := rest[:deliveryChunk(len(rest))]
			rest = rest[len(chunk):]
			args := make([]any, 0, 10*len(chunk))
			for _, d := range chunk {
				at := d.At
				args = append(args, d.EventID, d.Handler, d.Key, string(d.Status), at, d.LastError, d.Note, at, at, at)
			}
			if _, err := o.s.exec(ctx, tx, insertDeliveries(len(chunk)), args...); err != nil {
				return fmt.Errorf("insert deliveries of events %d to %d: %w", chunk[0].EventID, chunk[len(chunk)-1].EventID, err)
			}
		}
		return nil
	})
}

// maxDeliveryChunk is the most rows one INSERT of deliveries holds (640
// arguments, well under either database's limit).
const maxDeliveryChunk = 64

// deliveryChunk is how many of n deliveries the next INSERT takes: the
// largest power of two up to n and maxDeliveryChunk, so that the
// statements prepared and kept are a handful (1, 2, 4, … 64 rows), not one
// per number of rows.
func deliveryChunk(n int) int {
	c := 1
	for c*2 <= min(n, maxDeliveryChunk) {
		c *= 2
	}
	return c
}

// insertDeliveries is the INSERT of n deliveries.
func insertDeliveries(n int) string {
	rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", n), ", ")
	return `INSERT INTO deliveries (event_id, handler, order_key, status, next_attempt_at, last_error, note, since, created_at, updated_at)
		VALUES ` + rows + ` ON CONFLICT (event_id, handler) DO NOTHING`
}

// pendingHeads yields the head of each (handler, order_key) queue: its
// pending delivery of the lowest event id, the only one of the queue a
// claim may take. It is a loose index scan of deliveries_pending_order:
// each step seeks the first entry past the previous queue (the next key of
// the same handler, else the next handler's first), so a claim reads one
// entry per queue however many wait behind the heads. Staff alerts, paced
// for Telegram, pile up by the ten thousand under a burst of tickets, and
// reading them all had taken most of a claim. pendingOrder names the index
// where the planner needs telling (SQLite, without statistics, prefers
// deliveries_status and sorts every pending delivery).
func (s *Store) pendingHeads() string {
	const cols = `x.id, x.handler, x.order_key, x.event_id, x.next_attempt_at, x.lease_until`
	from := `FROM deliveries x` + s.d.pendingOrder + ` WHERE x.status = 'pending'`
	order := ` ORDER BY x.handler, x.order_key, x.event_id LIMIT 1`
	return `WITH RECURSIVE heads (id, handler, order_key, event_id, next_attempt_at, lease_until) AS (
		SELECT * FROM (SELECT ` + cols + ` ` + from + order + `) f
		UNION ALL
		SELECT ` + strings.ReplaceAll(cols, "x.", "n.") + ` FROM heads h JOIN deliveries n ON n.id = coalesce(
			(SELECT x.id ` + from + ` AND x.handler = h.handler AND x.order_key > h.order_key` + order + `),
			(SELECT x.id ` + from + ` AND x.handler > h.handler` + order + `))
	)`
}

// claimCandidates is how many due heads a claim considers for each
// delivery it may lease.
const claimCandidates = 4

// ClaimDeliveries leases up to limit due deliveries, each the earliest
// pending one of its handler and key, to owner until leaseUntil.
func (o *Outbox) ClaimDeliveries(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]application.ClaimedDelivery, error) {
	// The due heads are read first, then locked by id: a join of the heads
	// with deliveries, which the planners cannot size, had PostgreSQL read
	// every pending delivery to hash them. The lock checks the rows again:
	// on PostgreSQL a head another replica leased or made since is passed
	// over (or re-read once its claim commits, and no longer qualifies).
	// It chooses among claimCandidates times limit heads, so that replicas
	// claiming at once, who read the same oldest heads, pass over each
	// other's and still find theirs.
	due := o.s.pendingHeads() + `
		SELECT h.id FROM heads h
		WHERE h.next_attempt_at <= ? AND (h.lease_until IS NULL OR h.lease_until <= ?)
		AND NOT EXISTS (SELECT 1 FROM deliveries q WHERE q.hold_until > ?
			AND q.handler = h.handler AND q.order_key = h.order_key)
		ORDER BY h.event_id LIMIT ?`
	var rows []claimedRow
	err := o.s.inTx(ctx, func(tx *sqlx.Tx) error {
		var heads []int64
		if err := o.s.sel(ctx, tx, &heads, due, now, now, now, limit*claimCandidates); err != nil {
			return fmt.Errorf("select due deliveries: %w", err)
		}
		if len(heads) == 0 {
			return nil
		}
		headArgs := make([]any, len(heads))
		for i, id := range heads {
			headArgs[i] = id
		}
		lock := `SELECT d.id FROM deliveries d WHERE d.id IN (` + marks(len(heads)) + `)
			AND d.status = 'pending' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)
			ORDER BY d.event_id LIMIT ?` + o.s.d.skipLocked
		var ids []int64
		if err := o.s.sel(ctx, tx, &ids, lock, append(headArgs, now, now, limit)...); err != nil {
			return fmt.Errorf("lock due deliveries: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		idArgs := make([]any, len(ids))
		for i, id := range ids {
			idArgs[i] = id
		}
		lease := `UPDATE deliveries SET lease_owner = ?, lease_until = ? WHERE id IN (` + marks(len(ids)) + `)`
		if _, err := o.s.exec(ctx, tx, lease, append([]any{owner, leaseUntil}, idArgs...)...); err != nil {
			return fmt.Errorf("lease deliveries: %w", err)
		}
		get := `SELECT ` + deliveryColumns + `, e.payload, e.created_at AS event_at
			FROM deliveries d JOIN events e ON e.id = d.event_id
			WHERE d.id IN (` + marks(len(ids)) + `) ORDER BY d.event_id`
		if err := o.s.sel(ctx, tx, &rows, get, idArgs...); err != nil {
			return fmt.Errorf("select claimed deliveries: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]application.ClaimedDelivery, len(rows))
	for i, r := range rows {
		out[i] = application.ClaimedDelivery{Delivery: r.toApplication(), Payload: []byte(r.Payload), EventAt: r.EventAt.Time}
	}
	return out, nil
}

// RecordAttempt stores the outcome of an attempt by owner and ends the
// lease; a non-success is ignored when owner lost the lease. A success
// holds the key until a.HoldKeyUntil: no delivery of it is claimed before.
//
// An outcome that holds no key (every skipped alert, every failure) is one
// UPDATE whose conditions are the checks: the dispatcher records one per
// delivery, and the transaction that read the row first (BEGIN, SELECT …
// FOR UPDATE, UPDATE, COMMIT) had been four round trips each.
func (o *Outbox) RecordAttempt(ctx context.Context, id int64, owner string, a application.Attempt) error {
	if a.Status == application.DeliveryDone && !a.HoldKeyUntil.IsZero() {
		return o.recordAndHold(ctx, id, owner, a)
	}
	const q = `UPDATE deliveries SET status = ?, attempts = attempts + 1, last_error = ?,
		note = CASE WHEN ? THEN ? ELSE note END, next_attempt_at = CASE WHEN ? THEN ? ELSE next_attempt_at END,
		lease_owner = '', lease_until = NULL, updated_at = ? WHERE id = ? AND (? OR lease_owner = ?)`
	done, pending := a.Status == application.DeliveryDone, a.Status == application.DeliveryPending
	res, err := o.s.execAlone(ctx, q, string(a.Status), a.Error, a.Note != "" || done, a.Note,
		pending, a.NextAttemptAt, a.At, id, done, owner)
	if err != nil {
		return fmt.Errorf("record attempt at delivery %d: %w", id, err)
	}
	return o.checkFound(ctx, res, id)
}

// recordAndHold is RecordAttempt of a success that holds its key.
func (o *Outbox) recordAndHold(ctx context.Context, id int64, owner string, a application.Attempt) error {
	qSelect := `SELECT handler, order_key, lease_owner, note, next_attempt_at FROM deliveries WHERE id = ?` + o.s.d.lockRow
	const (
		qRecord = `UPDATE deliveries SET status = ?, attempts = attempts + 1, last_error = ?, note = ?, next_attempt_at = ?,
			lease_owner = '', lease_until = NULL, updated_at = ? WHERE id = ?`
		// One hold per key: this delivery's replaces the older ones.
		qUnhold = `UPDATE deliveries SET hold_until = NULL WHERE handler = ? AND order_key = ? AND hold_until IS NOT NULL`
		qHold   = `UPDATE deliveries SET hold_until = ? WHERE id = ?`
	)
	return o.s.inTx(ctx, func(tx *sqlx.Tx) error {
		var cur struct {
			Handler       string    `db:"handler"`
			OrderKey      string    `db:"order_key"`
			LeaseOwner    string    `db:"lease_owner"`
			Note          string    `db:"note"`
			NextAttemptAt timestamp `db:"next_attempt_at"`
		}
		err := o.s.get(ctx, tx, &cur, qSelect, id)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrDeliveryNotFound
		}
		if err != nil {
			return fmt.Errorf("select delivery %d: %w", id, err)
		}
		if a.Status != application.DeliveryDone && cur.LeaseOwner != owner {
			return nil
		}
		note, next := cur.Note, cur.NextAttemptAt.Time
		if a.Note != "" || a.Status == application.DeliveryDone {
			note = a.Note
		}
		if a.Status == application.DeliveryPending {
			next = a.NextAttemptAt
		}
		if _, err := o.s.exec(ctx, tx, qRecord, string(a.Status), a.Error, note, next, a.At, id); err != nil {
			return fmt.Errorf("record attempt at delivery %d: %w", id, err)
		}
		if a.Status != application.DeliveryDone || a.HoldKeyUntil.IsZero() {
			return nil
		}
		if _, err := o.s.exec(ctx, tx, qUnhold, cur.Handler, cur.OrderKey); err != nil {
			return fmt.Errorf("end the hold of %s: %w", cur.OrderKey, err)
		}
		if _, err := o.s.exec(ctx, tx, qHold, a.HoldKeyUntil, id); err != nil {
			return fmt.Errorf("hold %s: %w", cur.OrderKey, err)
		}
		return nil
	})
}

// ReleaseDelivery ends owner's lease of a delivery.
func (o *Outbox) ReleaseDelivery(ctx context.Context, id int64, owner string) error {
	const q = `UPDATE deliveries SET lease_owner = '', lease_until = NULL WHERE id = ? AND lease_owner = ?`
	res, err := o.s.exec(ctx, nil, q, id, owner)
	if err != nil {
		return fmt.Errorf("release delivery %d: %w", id, err)
	}
	return o.checkFound(ctx, res, id)
}

// checkFound turns an update of no row into ErrDeliveryNotFound when the
// delivery does not exist.
func (o *Outbox) checkFound(ctx context.Context, res sql.Result, id int64) error {
	if n, err := affected(res); err == nil && n > 0 {
		return nil
	}
	var exists bool
	if err := o.s.get(ctx, nil, &exists, `SELECT EXISTS (SELECT 1 FROM deliveries WHERE id = ?)`, id); err != nil {
		return fmt.Errorf("select delivery %d: %w", id, err)
	}
	if !exists {
		return domain.ErrDeliveryNotFound
	}
	return nil
}

// CountDeliveries counts the deliveries in each of statuses in one
// statement (one snapshot), through the index on status.
func (o *Outbox) CountDeliveries(ctx context.Context, statuses ...application.DeliveryStatus) (map[application.DeliveryStatus]int, error) {
	out := make(map[application.DeliveryStatus]int, len(statuses))
	if len(statuses) == 0 {
		return out, nil
	}
	sts := make([]any, len(statuses))
	for i, st := range statuses {
		sts[i] = string(st)
		out[st] = 0
	}
	var (
		status string
		n      int
	)
	q := `SELECT status, count(*) FROM deliveries WHERE status IN (` + marks(len(sts)) + `) GROUP BY status`
	err := o.s.query(ctx, nil, q, sts, func(rows *sql.Rows) error {
		if err := rows.Scan(&status, &n); err != nil {
			return err
		}
		out[application.DeliveryStatus(status)] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count deliveries by status: %w", err)
	}
	return out, nil
}

// ListDeliveries returns one page of deliveries in f's statuses, newest
// first.
func (o *Outbox) ListDeliveries(ctx context.Context, f application.DeliveryFilter) (application.DeliveryPage, error) {
	p := f.Page.Normalized()
	var w filter
	if len(f.Statuses) > 0 {
		sts := make([]any, len(f.Statuses))
		for i, st := range f.Statuses {
			sts[i] = string(st)
		}
		w.add("d.status IN ("+marks(len(sts))+")", sts...)
	}
	page := application.DeliveryPage{Deliveries: []application.Delivery{}}
	if err := o.s.get(ctx, nil, &page.Total, `SELECT count(*) FROM deliveries d`+w.where(), w.args...); err != nil {
		return page, fmt.Errorf("count deliveries: %w", err)
	}
	pw := w.clone()
	if p.Before != 0 {
		pw.add("d.id < ?", p.Before)
	}
	q := `SELECT ` + deliveryColumns + ` FROM deliveries d JOIN events e ON e.id = d.event_id` + pw.where() +
		` ORDER BY d.id DESC LIMIT ?`
	var rows []deliveryRow
	if err := o.s.sel(ctx, nil, &rows, q, append(pw.args, p.Limit+1)...); err != nil {
		return page, fmt.Errorf("select deliveries: %w", err)
	}
	for i, r := range rows {
		if i == p.Limit {
			page.Next = page.Deliveries[i-1].ID
			break
		}
		page.Deliveries = append(page.Deliveries, r.toApplication())
	}
	return page, nil
}

// RequeueDelivery makes a failed or pending delivery due at now, counting
// attempts afresh; a done one is left alone. ErrDeliveryNotFound.
func (o *Outbox) RequeueDelivery(ctx context.Context, id int64, now time.Time) error {
	const q = `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, since = ?, updated_at = ?
		WHERE id = ? AND status <> 'done'`
	res, err := o.s.exec(ctx, nil, q, now, now, now, id)
	if err != nil {
		return fmt.Errorf("requeue delivery %d: %w", id, err)
	}
	return o.checkFound(ctx, res, id)
}
