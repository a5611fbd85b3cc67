package sqlstore

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlite"
	"crm/application"
	"crm/domain"
)

// A search counts its matches up to the cap and then says so; below the
// cap its counts are exact. (The cap is 200 in production; the test
// lowers it rather than store ten thousand tickets.)
func TestSearchCountsStopAtTheCap(t *testing.T) {
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crm.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, sqlite.MigrateUp(db))
	s := New(db, SQLite)
	users, tickets := NewUsers(s), NewTickets(s)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	owner, err := domain.NewUser("alice", "hash", domain.RoleUser, now)
	require.NoError(t, err)
	require.NoError(t, users.Add(t.Context(), owner))
	for i := range 6 {
		title := "Printer jams"
		if i%2 == 1 {
			title = "Screen cracked"
		}
		tk, err := domain.NewTicket(owner, title, "Please help", domain.TypeRepair.String(), now)
		require.NoError(t, err)
		require.NoError(t, tickets.Add(t.Context(), tk))
	}

	for _, tc := range []struct {
		name       string
		cap        int
		query      string
		wantTotal  int
		wantCapped bool
	}{
		{"every match under the cap", 3, "printer", 3, false},
		{"more matches than the cap", 3, "please", 3, true},
		{"a cap above the matches", 10, "please", 6, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tickets.countCap = tc.cap
			page, err := tickets.Search(t.Context(), application.TicketFilter{Query: tc.query, Page: application.Page{Limit: 2}})
			require.NoError(t, err)
			assert.Equal(t, tc.wantTotal, page.Total)
			assert.Equal(t, tc.wantCapped, page.CountCapped)
			assert.Len(t, page.Tickets, 2)
		})
	}
}
