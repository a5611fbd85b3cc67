package sqlstore

import (
	"errors"
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
