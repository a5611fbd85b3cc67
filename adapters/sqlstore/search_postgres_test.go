package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
	"crm/test/dbtest"
)

// PostgreSQL's word index (ticket_words, migration 0022) follows a
// ticket's search text when it changes and when the ticket is deleted,
// in the same statement. No use case changes or deletes the text today;
// the SQL does it here, as a future one or an operator would.
func TestPostgresWordIndexFollowsChangesAndDeletes(t *testing.T) {
	t.Parallel()
	db, _, tickets, owner := postgresWithOwner(t)
	now := owner.CreatedAt()
	add := func(title string) int64 {
		tk, err := domain.NewTicket(owner, title, "Please help", domain.TypeRepair.String(), now)
		require.NoError(t, err)
		require.NoError(t, tickets.Add(t.Context(), tk))
		return tk.ID()
	}
	changed, gone, kept := add("Микроволновка искрит"), add("Микроволновка гудит"), add("Микроволновка молчит")
	found := func(query string) []int64 {
		t.Helper()
		page, err := tickets.Search(t.Context(), application.TicketFilter{Query: query})
		require.NoError(t, err)
		ids := make([]int64, len(page.Tickets))
		for i, tk := range page.Tickets {
			ids[i] = tk.ID()
		}
		return ids
	}
	require.Equal(t, []int64{kept, gone, changed}, found("микроволновка"))

	_, err := db.Exec(`UPDATE tickets SET search = 'термостат заменён alice' WHERE id = $1`, changed)
	require.NoError(t, err)
	_, err = db.Exec(`DELETE FROM tickets WHERE id = $1`, gone)
	require.NoError(t, err)

	assert.Equal(t, []int64{kept}, found("микроволновка"))
	assert.Equal(t, []int64{kept}, found("микро"))
	assert.Equal(t, []int64{changed}, found("термостат"))
	assert.Equal(t, []int64{changed}, found("замен"))
	assert.Empty(t, found("гудит"))
	var left int
	require.NoError(t, db.Get(&left, `SELECT count(*) FROM ticket_words WHERE ticket_id = $1`, gone))
	assert.Zero(t, left, "the deleted ticket's words")
}

// A search PostgreSQL reads from one key of ticket_words, nothing else
// filtered, keeps one plan: its page and count run prepared, the page with
// its limit written in (a plan for any limit would never be chosen over
// one made for each run). With a status its page is planned each run, as
// the other filters are; so is a search read through search_vector.
func TestPostgresOneKeySearchRunsPrepared(t *testing.T) {
	t.Parallel()
	_, st, tickets, owner := postgresWithOwner(t)
	now := owner.CreatedAt()
	for i := range 5 {
		title := "Термостат не держит"
		if i%2 == 1 {
			title = "Термометр врёт, термостат тоже"
		}
		tk, err := domain.NewTicket(owner, title, "Please help", domain.TypeRepair.String(), now)
		require.NoError(t, err)
		require.NoError(t, tickets.Add(t.Context(), tk))
	}
	var ran []string
	st.OnQuery(func(_ context.Context, q string, _ []any) { ran = append(ran, q) })
	search := func(f application.TicketFilter) []string {
		t.Helper()
		ran = nil
		f.Page.Limit = 2 // a second page: the count reads past the first
		page, err := tickets.Search(t.Context(), f)
		require.NoError(t, err)
		require.NotZero(t, page.Next)
		var searched []string
		for _, q := range ran {
			if strings.Contains(q, "ticket_words w JOIN tickets") || strings.Contains(q, "search_vector @@") {
				searched = append(searched, q)
			}
		}
		require.NotEmpty(t, searched)
		return searched
	}

	oneKey := search(application.TicketFilter{Query: "термостат"})
	require.Len(t, oneKey, 2, "the page and the count")
	for _, q := range oneKey {
		assert.False(t, sqlstore.PlannedEachRun(q), q)
	}
	assert.Contains(t, oneKey[0], "LIMIT 3", "the page's limit, written in")
	for _, q := range search(application.TicketFilter{Query: "термостат", Status: domain.StatusOpen}) {
		// The counts per status are the search's alone.
		assert.Equal(t, strings.Contains(q, "t.status = "), sqlstore.PlannedEachRun(q), q)
	}
	for _, q := range search(application.TicketFilter{Query: "термо"}) { // two keys
		assert.True(t, sqlstore.PlannedEachRun(q), q)
	}
}

// A list filtered only by what an index of tickets serves in id order
// (nothing; owner; status; type; status and type; assignee, unassigned
// too; those with a status) keeps one plan and runs prepared, with its
// limit, status and type written in; the other combinations, the overdue
// filter and the order by due time are planned each run, with their
// values as arguments.
func TestPostgresIndexOrderedFiltersRunPrepared(t *testing.T) {
	t.Parallel()
	_, st, tickets, owner := postgresWithOwner(t)
	now := owner.CreatedAt()
	tk, err := domain.NewTicket(owner, "Printer", "Please help", domain.TypeRepair.String(), now)
	require.NoError(t, err)
	require.NoError(t, tickets.Add(t.Context(), tk))

	var ran []string
	st.OnQuery(func(_ context.Context, q string, _ []any) { ran = append(ran, q) })
	// pageQuery runs f and returns the query that read its page.
	pageQuery := func(f application.TicketFilter) string {
		t.Helper()
		ran = nil
		f.Page.Limit = 7
		_, err := tickets.Search(t.Context(), f)
		require.NoError(t, err)
		for _, q := range ran {
			if strings.Contains(q, "ORDER BY") && strings.Contains(q, "FROM tickets t") {
				return q
			}
		}
		require.Fail(t, "no page query", "%q", ran)
		return ""
	}
	open, repair := domain.StatusOpen, domain.TypeRepair
	for _, f := range []application.TicketFilter{
		{}, {OwnerID: owner.ID()}, {OwnerID: owner.ID(), Status: open},
		{Status: open}, {Type: repair}, {Status: open, Type: repair},
		{AssigneeID: owner.ID()}, {AssigneeID: application.Unassigned}, {AssigneeID: application.Unassigned, Status: open},
	} {
		q := pageQuery(f)
		assert.False(t, sqlstore.PlannedEachRun(q), "%+v: %s", f, q)
		assert.Contains(t, q, "LIMIT 8", "%+v: the limit written in", f)
		if !f.Status.IsZero() {
			assert.Contains(t, q, "t.status = 'open'", "%+v: the status written in", f)
		}
		if !f.Type.IsZero() {
			assert.Contains(t, q, "t.type = 'repair'", "%+v: the type written in", f)
		}
	}
	for _, f := range []application.TicketFilter{
		{OwnerID: owner.ID(), Type: repair}, {Type: repair, AssigneeID: owner.ID()},
		{Status: open, Type: repair, AssigneeID: application.Unassigned},
		{Status: open, OverdueAt: now}, {Status: open, SortDue: true},
	} {
		q := pageQuery(f)
		assert.True(t, sqlstore.PlannedEachRun(q), "%+v", f)
		assert.NotContains(t, q, "'", "%+v: values as arguments", f)
	}
}

// postgresWithOwner opens a store on a new PostgreSQL database holding one
// user, alice (addOwner).
func postgresWithOwner(t *testing.T) (*sqlx.DB, *sqlstore.Store, *sqlstore.Tickets, *domain.User) {
	t.Helper()
	db := dbtest.Postgres(t)
	st := sqlstore.New(db, sqlstore.Postgres)
	return db, st, sqlstore.NewTickets(st), addOwner(t, st, "alice")
}
