package contract_test

import (
	"fmt"
	"slices"
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

// bulkTickets is how many tickets the AddMany tests store, in bulkCalls
// calls: each call more than one multi-row INSERT holds (500 rows on
// SQLite), so that it runs the prepared statement of the full ones and the
// shorter last one.
const (
	bulkTickets = 1300
	bulkCalls   = 2
)

// bulkStore is one empty migrated database behind the sqlstore ports.
type bulkStore struct {
	db      *sqlx.DB
	users   *sqlstore.Users
	tickets *sqlstore.Tickets
}

func TestAddManySQLite(t *testing.T) {
	t.Parallel()
	testAddMany(t, func(t *testing.T) bulkStore {
		db := dbtest.SQLite(t)
		st := sqlstore.New(db, sqlstore.SQLite)
		return bulkStore{db: db, users: sqlstore.NewUsers(st), tickets: sqlstore.NewTickets(st)}
	})
}

func TestAddManyPostgres(t *testing.T) {
	t.Parallel()
	testAddMany(t, func(t *testing.T) bulkStore {
		db := dbtest.Postgres(t)
		st := sqlstore.New(db, sqlstore.Postgres)
		return bulkStore{db: db, users: sqlstore.NewUsers(st), tickets: sqlstore.NewTickets(st)}
	})
}

// testAddMany stores the same tickets in two fresh databases, one Add each
// in the first and through AddMany in the second, and reads them back: the
// two must not differ in anything a reader sees.
func testAddMany(t *testing.T, newStore func(t *testing.T) bulkStore) {
	ctx := t.Context()
	one, many := newStore(t), newStore(t)
	oneTickets := bulkLoad(t, one)
	manyTickets := bulkLoad(t, many)

	for _, tk := range oneTickets {
		require.NoError(t, one.tickets.Add(ctx, tk))
	}
	for chunk := range slices.Chunk(manyTickets, (bulkTickets+bulkCalls-1)/bulkCalls) {
		require.NoError(t, many.tickets.AddMany(ctx, chunk))
	}

	t.Run("ids are set in order, as one Add each sets them", func(t *testing.T) {
		for i, tk := range manyTickets {
			require.NotZero(t, tk.ID())
			if i > 0 {
				require.Greater(t, tk.ID(), manyTickets[i-1].ID())
			}
			assert.Equal(t, oneTickets[i].ID(), tk.ID())
		}
	})

	t.Run("Get reads back the same tickets, history and comments", func(t *testing.T) {
		for i, tk := range manyTickets {
			want, err := one.tickets.Get(ctx, oneTickets[i].ID())
			require.NoError(t, err)
			got, err := many.tickets.Get(ctx, tk.ID())
			require.NoError(t, err)
			require.Equal(t, want, got, "ticket %d", tk.ID())
			require.Len(t, got.History(), len(tk.History()))
			require.Len(t, got.Comments(), len(tk.Comments()))
		}
	})

	t.Run("Search finds and counts the same tickets", func(t *testing.T) {
		staff, err := many.users.GetByUsername(ctx, "bulk_staff_1")
		require.NoError(t, err)
		for _, f := range []struct {
			name   string
			filter application.TicketFilter
		}{
			{"all", application.TicketFilter{}},
			{"open", application.TicketFilter{Status: domain.StatusOpen}},
			{"closed repairs", application.TicketFilter{Status: domain.StatusClosed, Type: domain.TypeRepair}},
			{"a staff member's", application.TicketFilter{AssigneeID: staff.ID()}},
			{"unassigned", application.TicketFilter{AssigneeID: application.Unassigned}},
			{"a common word", application.TicketFilter{Query: "экран"}},
			{"a word prefix", application.TicketFilter{Query: "микро"}},
			{"an owner's name", application.TicketFilter{Query: "bulk_user_2 screen"}},
			{"one serial", application.TicketFilter{Query: "sn0000777"}},
			{"an absent word", application.TicketFilter{Query: "ксилофон"}},
		} {
			t.Run(f.name, func(t *testing.T) {
				f.filter.Page.Limit = application.MaxPageSize
				want, err := one.tickets.Search(ctx, f.filter)
				require.NoError(t, err)
				got, err := many.tickets.Search(ctx, f.filter)
				require.NoError(t, err)
				assert.Equal(t, want.Total, got.Total)
				assert.Equal(t, want.ByStatus, got.ByStatus)
				assert.Equal(t, want.Next, got.Next)
				assert.Equal(t, bulkIDs(want.Tickets), bulkIDs(got.Tickets))
				if f.name != "an absent word" {
					assert.NotZero(t, got.Total, "the filter should match some tickets")
				}
			})
		}
	})

	t.Run("the stored counts add up to the tickets", func(t *testing.T) {
		type count struct {
			Type       string `db:"type"`
			Status     string `db:"status"`
			AssigneeID int64  `db:"assignee_id"`
			N          int64  `db:"n"`
		}
		sameRows[count](t, many.db, `SELECT type, status, assignee_id, n FROM (
			SELECT type, status, assignee_id, sum(n) AS n FROM ticket_counts GROUP BY 1, 2, 3) c WHERE n <> 0
			ORDER BY 1, 2, 3`,
			`SELECT type, status, coalesce(assignee_id, 0) AS assignee_id, count(*) AS n FROM tickets
			GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)

		// The counts whoever is assigned (a table of their own on
		// PostgreSQL, a view of ticket_counts on SQLite).
		type typeCount struct {
			Type   string `db:"type"`
			Status string `db:"status"`
			N      int64  `db:"n"`
		}
		sameRows[typeCount](t, many.db, `SELECT type, status, n FROM (
			SELECT type, status, sum(n) AS n FROM ticket_type_counts GROUP BY 1, 2) c WHERE n <> 0 ORDER BY 1, 2`,
			`SELECT type, status, count(*) AS n FROM tickets GROUP BY 1, 2 ORDER BY 1, 2`)

		type ownerCount struct {
			OwnerID int64  `db:"owner_id"`
			Status  string `db:"status"`
			N       int64  `db:"n"`
		}
		sameRows[ownerCount](t, many.db, `SELECT owner_id, status, n FROM owner_ticket_counts WHERE n <> 0 ORDER BY 1, 2`,
			`SELECT owner_id, status, count(*) AS n FROM tickets GROUP BY 1, 2 ORDER BY 1, 2`)
	})

	t.Run("a ticket added after them takes the next id", func(t *testing.T) {
		owner, err := many.users.GetByUsername(ctx, "bulk_user_1")
		require.NoError(t, err)
		after, err := domain.NewTicket(owner, "После загрузки", "text", "repair", time.Now())
		require.NoError(t, err)
		require.NoError(t, many.tickets.Add(ctx, after))
		assert.Equal(t, manyTickets[len(manyTickets)-1].ID()+1, after.ID())
	})

	if many.db.DriverName() != "sqlite" {
		return
	}
	t.Run("the full-text index is intact", func(t *testing.T) {
		_, err := many.db.ExecContext(ctx, `INSERT INTO tickets_fts (tickets_fts, rank) VALUES ('integrity-check', 1)`)
		require.NoError(t, err)
	})
}

// bulkLoad adds the users the tickets of the AddMany tests belong to and
// returns those tickets, new: the same every call, so that two stores get
// the same ones.
func bulkLoad(t *testing.T, s bulkStore) []*domain.Ticket {
	owners := make([]*domain.User, 3)
	for i := range owners {
		owners[i] = bulkAddUser(t, s, fmt.Sprintf("bulk_user_%d", i+1), domain.RoleUser)
	}
	staff := []*domain.User{
		bulkAddUser(t, s, "bulk_staff_1", domain.RoleStaff),
		bulkAddUser(t, s, "bulk_staff_2", domain.RoleStaff),
	}
	subjects := []struct{ title, text string }{
		{"Микроволновка не греет", "Микроволновка гудит, но еда холодная"},
		{"Треснул экран", "Экран телефона треснул после падения"},
		{"Screen flickers", "The laptop screen flickers when charging"},
		{"Консультация", "Можно ли продлить гарантию?"},
	}
	base := time.Date(2025, 6, 1, 8, 0, 0, 987654321, time.UTC)
	ts := make([]*domain.Ticket, bulkTickets)
	for i := range ts {
		now := base.Add(time.Duration(i) * time.Minute)
		sub := subjects[i%len(subjects)]
		typ := []string{"repair", "service", "consultation"}[i%3]
		tk, err := domain.NewTicket(owners[i%len(owners)], sub.title,
			fmt.Sprintf("%s, SN%07d", sub.text, i), typ, now)
		require.NoError(t, err)
		by := staff[i%len(staff)]
		if i%5 > 0 {
			require.NoError(t, tk.Assign(by, by, now.Add(time.Second)))
		}
		if i%4 > 0 {
			require.NoError(t, tk.ChangeStatus(by, domain.StatusInProgress, "", now.Add(2*time.Second)))
			require.NoError(t, tk.AddComment(owners[i%len(owners)], "Спасибо", false, now.Add(3*time.Second)))
		}
		if i%4 > 1 {
			require.NoError(t, tk.AddComment(by, "нужна деталь", true, now.Add(4*time.Second)))
			require.NoError(t, tk.ChangeStatus(by, domain.StatusClosed, "готово", now.Add(5*time.Second)))
		}
		ts[i] = tk
	}
	return ts
}

// bulkAddUser stores a new user named name with role.
func bulkAddUser(t *testing.T, s bulkStore, name string, role domain.Role) *domain.User {
	t.Helper()
	u, err := domain.NewUser(name, "hash of "+name, role, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.NoError(t, s.users.Add(t.Context(), u))
	return u
}

// bulkIDs returns the ids of ts, in order.
func bulkIDs(ts []*domain.Ticket) []int64 {
	ids := make([]int64, len(ts))
	for i, tk := range ts {
		ids[i] = tk.ID()
	}
	return ids
}

// sameRows asserts that the stored query returns the rows the counted one
// does, scanned as T, and that there are some.
func sameRows[T any](t *testing.T, db *sqlx.DB, stored, counted string) {
	t.Helper()
	var got, want []T
	require.NoError(t, db.SelectContext(t.Context(), &got, stored))
	require.NoError(t, db.SelectContext(t.Context(), &want, counted))
	require.NotEmpty(t, want)
	assert.Equal(t, want, got)
}
