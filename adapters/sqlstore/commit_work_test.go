package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
	"crm/test/dbtest"
)

// The tickets of a batch of writes reach the full-text index at its
// commit: a write that failed under its savepoint leaves nothing there, a
// ticket changed twice is found by its last text only, a deleted one not
// at all, and FTS5's own check finds the index in step with the tickets.
func TestBatchedTicketsAreIndexedAtCommit(t *testing.T) {
	s := New(dbtest.SQLite(t), SQLite)
	ctx := t.Context()
	users, tickets := NewUsers(s), NewTickets(s)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	owner, err := domain.NewUser("alice", "hash", domain.RoleUser, now)
	require.NoError(t, err)
	require.NoError(t, users.Add(ctx, owner))
	newTicket := func(title string) *domain.Ticket {
		tk, err := domain.NewTicket(owner, title, "Please help", domain.TypeRepair.String(), now)
		require.NoError(t, err)
		return tk
	}
	gone := newTicket("Keyboard sticky")
	require.NoError(t, tickets.Add(ctx, gone))
	renamed := newTicket("Scanner offline")
	require.NoError(t, tickets.Add(ctx, renamed))

	unlock, err := s.lockWrites(ctx)
	require.NoError(t, err)
	refused := errors.New("refused")
	insert := func(tx *sqlx.Tx, tk *domain.Ticket) error {
		var id int64
		return s.get(ctx, tx, &id, insertTicket+ticketValues+` RETURNING id`, ticketArgs(tk)...)
	}
	rename := func(id int64, search string) func(tx *sqlx.Tx) error {
		return func(tx *sqlx.Tx) error {
			_, err := s.exec(ctx, tx, `UPDATE tickets SET search = ? WHERE id = ?`, search, id)
			return err
		}
	}
	fns := []func(tx *sqlx.Tx) error{
		func(tx *sqlx.Tx) error { return insert(tx, newTicket("Printer jams")) },
		func(tx *sqlx.Tx) error {
			if err := insert(tx, newTicket("Monitor flickers")); err != nil {
				return err
			}
			return refused
		},
		rename(renamed.ID(), "projector offline"),
		rename(renamed.ID(), "projector broken"),
		func(tx *sqlx.Tx) error {
			_, err := s.exec(ctx, tx, `DELETE FROM tickets WHERE id = ?`, gone.ID())
			return err
		},
	}
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = s.inTx(ctx, fn) })
		queued(t, s, i+1)
	}
	unlock()
	wg.Wait()
	require.NoError(t, errs[0])
	require.ErrorIs(t, errs[1], refused)
	require.NoError(t, errors.Join(errs[2:]...))

	found := func(q string) int {
		p, err := tickets.Search(ctx, application.TicketFilter{Query: q, Page: application.Page{Limit: 10}})
		require.NoError(t, err)
		return len(p.Tickets)
	}
	assert.Equal(t, 1, found("printer"), "a committed ticket is found")
	assert.Zero(t, found("monitor"), "a failed write leaves nothing in the index")
	assert.Equal(t, 1, found("broken"), "the last text is indexed")
	assert.Zero(t, found("offline"), "the earlier texts are not")
	assert.Zero(t, found("keyboard"), "a deleted ticket is not")
	var pending int
	require.NoError(t, s.db.Get(&pending, `SELECT count(*) FROM tickets_fts_pending`))
	assert.Zero(t, pending)
	_, err = s.db.Exec(`INSERT INTO tickets_fts (tickets_fts) VALUES ('integrity-check')`)
	assert.NoError(t, err, "the index holds exactly the tickets' texts")
}

// FTS5 writes the terms it holds out as a new index segment whenever a
// rowid comes lower than the one before. tickets_fts holds each ticket
// under -id (migration 0025), so the store indexes a batch newest ticket
// first: the tickets of one commit make one segment, not one each. FTS5
// counts the segments it has written in its structure record.
func TestABatchOfTicketsWritesOneIndexSegment(t *testing.T) {
	s := New(dbtest.SQLite(t), SQLite)
	ctx := t.Context()
	users, tickets := NewUsers(s), NewTickets(s)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	owner, err := domain.NewUser("alice", "hash", domain.RoleUser, now)
	require.NoError(t, err)
	require.NoError(t, users.Add(ctx, owner))
	written := func() uint64 {
		t.Helper()
		var structure []byte
		err := s.db.Get(&structure, `SELECT block FROM tickets_fts_data WHERE id = 10`)
		if errors.Is(err, sql.ErrNoRows) {
			return 0
		}
		require.NoError(t, err)
		// A 4-byte cookie, then varints: levels, segments, segments written.
		rest := structure[4:]
		var n uint64
		for range 3 {
			n, rest = sqliteVarint(t, rest)
		}
		return n
	}
	before := written()
	ts := make([]*domain.Ticket, 200)
	for i := range ts {
		ts[i], err = domain.NewTicket(owner, fmt.Sprintf("Printer %d jams", i), "Please help", domain.TypeRepair.String(), now)
		require.NoError(t, err)
	}
	require.NoError(t, tickets.AddMany(ctx, ts))
	// In id order: 200, one a ticket.
	assert.LessOrEqual(t, written()-before, uint64(5), "segments written for 200 tickets in one commit")

	page, err := tickets.Search(ctx, application.TicketFilter{Query: "printer", Page: application.Page{Limit: 3}})
	require.NoError(t, err)
	require.Len(t, page.Tickets, 3)
	assert.Equal(t, ts[199].ID(), page.Tickets[0].ID(), "the newest first")
	_, err = s.db.Exec(`INSERT INTO tickets_fts (tickets_fts, rank) VALUES ('integrity-check', 1)`)
	assert.NoError(t, err, "the index holds exactly the tickets' texts")
}

// sqliteVarint decodes the SQLite varint at the start of b (FTS5's
// records use them) and returns it with the rest of b.
func sqliteVarint(t *testing.T, b []byte) (uint64, []byte) {
	t.Helper()
	var v uint64
	for i := range 9 {
		require.Less(t, i, len(b), "a varint cut short")
		if i == 8 {
			return v<<8 | uint64(b[i]), b[i+1:]
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i]&0x80 == 0 {
			return v, b[i+1:]
		}
	}
	return v, b
}
