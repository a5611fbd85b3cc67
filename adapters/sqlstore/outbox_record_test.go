package sqlstore_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
	"crm/test/dbtest"
)

// The dispatcher records an outcome per delivery: one that holds no key
// (a skipped alert, a failure to retry) is one statement, which checks the
// lease itself, on both databases.
func TestAnOutcomeWithoutHoldIsOneStatement(t *testing.T) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *sqlx.DB
		d    *sqlstore.Dialect
	}{
		{"sqlite", dbtest.SQLite, sqlstore.SQLite},
		{"postgres", dbtest.Postgres, sqlstore.Postgres},
	} {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			st := sqlstore.New(db.open(t), db.d)
			users, tickets, outbox := sqlstore.NewUsers(st), sqlstore.NewTickets(st), sqlstore.NewOutbox(st)
			now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
			owner, err := domain.NewUser("alice", "hash", domain.RoleUser, now)
			require.NoError(t, err)
			require.NoError(t, users.Add(t.Context(), owner))
			tk, err := domain.NewTicket(owner, "Printer", "Jams", domain.TypeRepair.String(), now)
			require.NoError(t, err)
			require.NoError(t, tickets.Add(t.Context(), tk))
			ev, err := outbox.LastEventID(t.Context())
			require.NoError(t, err)
			require.NoError(t, outbox.AddDeliveries(t.Context(), []application.NewDelivery{
				{EventID: ev, Handler: "h", Key: "k", Status: application.DeliveryPending, At: now}}))
			claimed, err := outbox.ClaimDeliveries(t.Context(), "r1", now, now.Add(time.Minute), 10)
			require.NoError(t, err)
			require.Len(t, claimed, 1)
			id := claimed[0].ID

			var ran atomic.Int32
			st.OnQuery(func(_ context.Context, q string, _ []any) {
				if strings.Contains(q, "deliveries") { // not the dialect's work at commit
					ran.Add(1)
				}
			})
			t.Cleanup(func() { st.OnQuery(nil) })
			retry := application.Attempt{Status: application.DeliveryPending, At: now, NextAttemptAt: now.Add(time.Hour),
				Error: "timeout", Note: "try later"}
			require.NoError(t, outbox.RecordAttempt(t.Context(), id, "r2", retry), "another's lease: ignored")
			require.NoError(t, outbox.RecordAttempt(t.Context(), id, "r1", retry))
			assert.Equal(t, int32(3), ran.Load(), "statements: the ignored one and its check that the delivery exists, then one")

			page, err := outbox.ListDeliveries(t.Context(), application.DeliveryFilter{})
			require.NoError(t, err)
			require.Len(t, page.Deliveries, 1)
			d := page.Deliveries[0]
			assert.Equal(t, application.DeliveryPending, d.Status)
			assert.Equal(t, 1, d.Attempts, "the attempt of r1 alone")
			assert.Equal(t, "timeout", d.LastError)
			assert.Equal(t, "try later", d.Note)
			assert.True(t, now.Add(time.Hour).Equal(d.NextAttemptAt), "next attempt %v", d.NextAttemptAt)

			ran.Store(0)
			require.NoError(t, outbox.RecordAttempt(t.Context(), id, "r2", application.Attempt{Status: application.DeliveryDone,
				At: now.Add(time.Minute), Note: "skipped: nobody"}), "a success is recorded whoever holds the lease")
			assert.Equal(t, int32(1), ran.Load(), "statements of a success without hold")
			page, err = outbox.ListDeliveries(t.Context(), application.DeliveryFilter{})
			require.NoError(t, err)
			d = page.Deliveries[0]
			assert.Equal(t, application.DeliveryDone, d.Status)
			assert.Equal(t, 2, d.Attempts)
			assert.Equal(t, "skipped: nobody", d.Note)
			assert.True(t, now.Add(time.Hour).Equal(d.NextAttemptAt), "a success keeps the next attempt time")

			assert.ErrorIs(t, outbox.RecordAttempt(t.Context(), 999999, "r1", retry), domain.ErrDeliveryNotFound)
		})
	}
}
