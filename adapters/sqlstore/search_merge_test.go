package sqlstore_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
	"crm/test/dbtest"
)

// Tickets filed one by one leave SQLite's search index in many segments;
// MergeSearchIndex makes them one, and every search finds what it found
// before, tickets filed after the merge too. With few segments it does
// nothing.
func TestMergeSearchIndexLeavesOneSegmentAndFindsTheSame(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	s := sqlstore.New(db, sqlstore.SQLite)
	tickets, owner, now := sqlstore.NewTickets(s), addOwner(t, s, "мария"), ownerAt
	add := func(i int) {
		title := fmt.Sprintf("Принтер замял бумагу %d", i)
		if i%3 == 0 {
			title = fmt.Sprintf("Микроволновка не греет %d", i)
		}
		tk, err := domain.NewTicket(owner, title, "Помогите, пожалуйста", domain.TypeRepair.String(), now)
		require.NoError(t, err)
		require.NoError(t, tickets.Add(t.Context(), tk)) // a commit of its own: a segment of its own
	}
	segments := func() int {
		var n int
		require.NoError(t, db.Get(&n, `SELECT count(DISTINCT segid) FROM tickets_fts_idx`))
		return n
	}
	found := func(q string) []int64 {
		page, err := tickets.Search(t.Context(), application.TicketFilter{Query: q, Page: application.Page{Limit: 100}})
		require.NoError(t, err)
		ids := make([]int64, len(page.Tickets))
		for i, tk := range page.Tickets {
			ids[i] = tk.ID()
		}
		return ids
	}
	queries := []string{"принтер", "микро", "пожалуйста", "мария", "принтер 7"}

	add(1)
	m, err := s.MergeSearchIndex(t.Context())
	require.NoError(t, err)
	assert.Equal(t, sqlstore.SearchMerge{Segments: 1}, m, "one segment: nothing to do")

	for i := 2; i <= 60; i++ {
		add(i)
	}
	require.Greater(t, segments(), 4, "tickets filed one by one leave segments behind")
	before := map[string][]int64{}
	for _, q := range queries {
		before[q] = found(q)
		require.NotEmpty(t, before[q], q)
	}

	m, err = s.MergeSearchIndex(t.Context())
	require.NoError(t, err)
	assert.Greater(t, m.Segments, 4)
	assert.Positive(t, m.Steps)
	assert.Equal(t, 1, segments(), "merged into one")
	for _, q := range queries {
		assert.Equal(t, before[q], found(q), "%q finds the same tickets", q)
	}

	add(61)
	assert.Len(t, found("принтер"), len(before["принтер"])+1, "a ticket filed after the merge is found")
}

// PostgreSQL's indexes need no merging: MergeSearchIndex returns at once.
func TestMergeSearchIndexOnPostgresDoesNothing(t *testing.T) {
	t.Parallel()
	s := sqlstore.New(dbtest.Postgres(t), sqlstore.Postgres)
	m, err := s.MergeSearchIndex(t.Context())
	require.NoError(t, err)
	assert.Equal(t, sqlstore.SearchMerge{}, m)
}
