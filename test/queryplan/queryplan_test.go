// Package queryplan reads PostgreSQL's plans for the queries the ticket
// pages run, on a table of realistic size, and fails when one of them
// reads the tickets table sequentially. One sequential scan is allowed: one
// under a Limit that, run, stopped because the Limit had its rows, before
// the end of the table. A search's capped count takes that plan for a
// common term (it reads until it has cap+1 matches, about cap ÷ how common
// the term is), and it is the fastest there is: the GIN index would first
// list every match.
//
// The queries are not copied here: the store runs its real Search with
// each filter the pages use, an observer (sqlstore.Store.OnQuery) hands
// over every query text and its arguments, and each is planned as the
// store runs it — a statement planned for its arguments on every run when
// the store marks it so (sqlstore.PlannedEachRun: the queries built from a
// filter), otherwise a prepared statement that PostgreSQL may give a
// generic plan — through PREPARE and EXPLAIN EXECUTE.
package queryplan

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/postgres"
	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
	"crm/test/pgtest"
)

// The size of the desk: a few years of history.
const (
	tickets = 100_000
	owners  = 2_000 // about 50 tickets each
	staff   = 5
)

// Search terms and how often the load uses them.
const (
	commonTerm = "принтер"      // in about one ticket in five
	rareTerm   = "стабилизатор" // in about one ticket in 5,000
)

// TestQueriesOfARealisticDeskUseIndexes loads one desk of realistic size
// (it takes most of the time) and plans every page's queries on it.
func TestQueriesOfARealisticDeskUseIndexes(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(t.Context(), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, postgres.MigrateUp(db))
	load(t, db)

	t.Run("queue, filters, search and lists", func(t *testing.T) { checkQueueQueries(t, db) })
	t.Run("reports", func(t *testing.T) { checkReportQueries(t, db) })
	t.Run("closed repairs under recent open tickets", func(t *testing.T) { checkRecentOpen(t, db) })
}

// checkQueueQueries fails on a sequential scan of tickets in the queue,
// filter, search and list queries, or a plan that does not stop early.
func checkQueueQueries(t *testing.T, db *sqlx.DB) {
	st := sqlstore.New(db, sqlstore.Postgres)
	t.Cleanup(func() { _ = st.Close() })
	store := sqlstore.NewTickets(st)
	var ran capture
	st.OnQuery(ran.add)

	// The users the filters name: the first staff member, and an owner.
	const assignee, owner = int64(1), int64(staff + 1)
	open, closed, inProgress := domain.StatusOpen, domain.StatusClosed, domain.StatusInProgress
	cases := []struct {
		name   string
		filter application.TicketFilter
		next   bool // plan the next page too
	}{
		{"queue", application.TicketFilter{}, true},
		{"status", application.TicketFilter{Status: open}, true},
		{"closed", application.TicketFilter{Status: closed}, false},
		{"status and type", application.TicketFilter{Status: closed, Type: domain.TypeRepair}, true},
		{"type", application.TicketFilter{Type: domain.TypeService}, false},
		{"assignee", application.TicketFilter{AssigneeID: assignee}, false},
		{"assignee and status", application.TicketFilter{AssigneeID: assignee, Status: inProgress}, true},
		{"unassigned", application.TicketFilter{AssigneeID: application.Unassigned}, false},
		{"unassigned and status", application.TicketFilter{AssigneeID: application.Unassigned, Status: open}, false},
		{"owner", application.TicketFilter{OwnerID: owner}, true},
		{"owner and status", application.TicketFilter{OwnerID: owner, Status: closed}, false},
		{"search, common term", application.TicketFilter{Query: commonTerm}, true},
		{"search, rare term", application.TicketFilter{Query: rareTerm}, false},
		{"search, prefix", application.TicketFilter{Query: "принт"}, false},
		{"search, two terms", application.TicketFilter{Query: commonTerm + " замяло"}, false},
		{"search and status", application.TicketFilter{Query: commonTerm, Status: open}, false},
		{"search, rare term and status", application.TicketFilter{Query: rareTerm, Status: inProgress}, false},
		{"due order", application.TicketFilter{SortDue: true}, true},
		{"due order and status", application.TicketFilter{SortDue: true, Status: open}, true},
		{"overdue", application.TicketFilter{OverdueAt: time.Now()}, true},
		{"overdue, due order", application.TicketFilter{OverdueAt: time.Now(), SortDue: true}, true},
		{"overdue and type", application.TicketFilter{OverdueAt: time.Now(), Type: domain.TypeService}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ran.reset()
			page, err := store.Search(t.Context(), tc.filter)
			require.NoError(t, err)
			queries := ran.take()
			if tc.next {
				require.NotZero(t, page.Next, "a second page to plan")
				f := tc.filter
				f.Page.Before = page.Next
				_, err := store.Search(t.Context(), f)
				require.NoError(t, err)
				queries = append(queries, ran.take()...)
			}
			require.NotEmpty(t, queries, "the observer saw the queries")
			if tc.name == "search, common term" {
				assert.True(t, page.CountCapped, "the common term matches more than the cap: its count is the capped one")
			}
			for _, q := range queries {
				checkPlan(t, db, q)
			}
		})
	}
}

// query is one statement the store ran.
type query struct {
	text string
	args []any
}

// capture keeps the queries the store runs.
type capture struct {
	mu sync.Mutex
	qs []query
}

func (c *capture) add(_ context.Context, text string, args []any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.qs = append(c.qs, query{text, args})
}

func (c *capture) reset() { _ = c.take() }

func (c *capture) take() []query {
	c.mu.Lock()
	defer c.mu.Unlock()
	qs := c.qs
	c.qs = nil
	return qs
}

// checkPlan plans q as the store has it planned, seven times: under
// PostgreSQL's default plan_cache_mode a generic plan could follow the
// first five custom ones of a prepared statement, and the store's
// statements that are planned for their arguments on every run get
// force_custom_plan here. It fails when a plan reads tickets sequentially.
func checkPlan(t *testing.T, db *sqlx.DB, q query) {
	t.Helper()
	ctx := t.Context()
	conn, err := db.Connx(ctx)
	require.NoError(t, err)
	defer func() { _ = conn.Close() }()
	mode := "auto"
	if sqlstore.PlannedEachRun(q.text) {
		mode = "force_custom_plan"
	}
	_, err = conn.ExecContext(ctx, "SET plan_cache_mode = "+mode)
	require.NoError(t, err)
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "RESET plan_cache_mode") }()
	_, err = conn.ExecContext(ctx, "PREPARE planned AS "+q.text)
	require.NoError(t, err, q.text)
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "DEALLOCATE planned") }()
	explain := "EXPLAIN (FORMAT JSON) EXECUTE planned" + literals(t, q.args)

	seen := map[string]bool{}
	for run := 1; run <= 7; run++ {
		var out string
		require.NoError(t, conn.GetContext(ctx, &out, explain), explain)
		var plans []struct {
			Plan node `json:"Plan"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &plans))
		require.Len(t, plans, 1)
		shape := plans[0].Plan.shape()
		if seen[shape] {
			continue
		}
		seen[shape] = true
		t.Logf("%s\n  args %v\n  plan (execution %d): %s", oneLine(q.text), q.args, run, shape)
		if scans := plans[0].Plan.seqScans("tickets", false); len(scans) > 0 {
			checkStopsEarly(t, conn, q, run)
		}
	}
}

// checkStopsEarly runs the prepared statement under EXPLAIN ANALYZE and
// fails unless each sequential scan of tickets in its plan stands under a
// Limit and was stopped by it: it returned the capped count's cap+1 rows
// and read fewer than the whole table.
func checkStopsEarly(t *testing.T, conn *sqlx.Conn, q query, run int) {
	t.Helper()
	var out string
	explain := "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE planned" + literals(t, q.args)
	require.NoError(t, conn.GetContext(t.Context(), &out, explain), explain)
	var plans []struct {
		Plan node `json:"Plan"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &plans))
	require.Len(t, plans, 1)
	for _, scan := range plans[0].Plan.seqScans("tickets", false) {
		read := scan.ActualRows + scan.RemovedByFilter
		if scan.underLimit && scan.ActualRows >= application.SearchCountCap+1 && read < tickets {
			t.Logf("  a sequential scan under a Limit read %.0f of %d tickets", read, tickets)
			continue
		}
		pretty, _ := json.MarshalIndent(plans[0].Plan, "", "  ")
		t.Errorf("sequential scan of tickets (execution %d of the prepared statement) read %.0f rows (under a Limit: %v)\n  query: %s\n  args: %v\n  plan: %s",
			run, read, scan.underLimit, oneLine(q.text), q.args, pretty)
	}
}

// node is one node of a JSON plan, with what the report needs.
type node struct {
	Type     string  `json:"Node Type"`
	Relation string  `json:"Relation Name,omitempty"`
	Index    string  `json:"Index Name,omitempty"`
	Filter   string  `json:"Filter,omitempty"`
	Cond     string  `json:"Index Cond,omitempty"`
	Recheck  string  `json:"Recheck Cond,omitempty"`
	Rows     float64 `json:"Plan Rows"`
	Cost     float64 `json:"Total Cost"`
	Plans    []node  `json:"Plans,omitempty"`
	// With ANALYZE: the rows the node returned and those its filter
	// dropped, summed over its loops.
	ActualRows      float64 `json:"Actual Rows,omitempty"`
	RemovedByFilter float64 `json:"Rows Removed by Filter,omitempty"`
	// underLimit: the node's parent is a Limit (set by seqScans).
	underLimit bool
}

// seqScans returns the sequential scans of relation in the tree; underLimit
// says whether n's parent is a Limit.
func (n node) seqScans(relation string, underLimit bool) []node {
	var out []node
	if n.Type == "Seq Scan" && n.Relation == relation {
		n.underLimit = underLimit
		out = append(out, n)
	}
	for _, c := range n.Plans {
		out = append(out, c.seqScans(relation, n.Type == "Limit")...)
	}
	return out
}

// shape prints the tree on one line: Limit(Index Scan Backward tickets_status).
func (n node) shape() string {
	s := n.Type
	if n.Relation != "" {
		s += " " + n.Relation
	}
	if n.Index != "" {
		s += " " + n.Index
	}
	if len(n.Plans) > 0 {
		parts := make([]string, len(n.Plans))
		for i, c := range n.Plans {
			parts[i] = c.shape()
		}
		s += "(" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// literals writes args as EXECUTE's argument list.
func literals(t *testing.T, args []any) string {
	if len(args) == 0 {
		return ""
	}
	parts := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			parts[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		case int:
			parts[i] = strconv.Itoa(v)
		case int64:
			parts[i] = strconv.FormatInt(v, 10)
		case time.Time:
			parts[i] = "'" + v.UTC().Format(time.RFC3339Nano) + "'"
		default:
			t.Fatalf("argument %d: no literal for %T", i, a)
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// load fills users and tickets with one INSERT … SELECT each, from a seeded
// generator, and brings the planner's statistics up to date. Most tickets
// are closed, as on a desk with history; a fifth are unassigned; types,
// owners and words vary.
func load(t *testing.T, db *sqlx.DB) {
	t.Helper()
	ctx := t.Context()
	conn, err := db.Connx(ctx)
	require.NoError(t, err)
	defer func() { _ = conn.Close() }()
	for _, q := range []string{
		`SELECT setseed(0.42)`,
		fmt.Sprintf(`INSERT INTO users (username, username_key, password_hash, role, created_at)
			SELECT 'load_staff_' || g, 'load_staff_' || g, 'x', 'staff', now() FROM generate_series(1, %d) g`, staff),
		fmt.Sprintf(`INSERT INTO users (username, username_key, password_hash, role, created_at)
			SELECT 'user_' || g, 'user_' || g, 'x', 'user', now() FROM generate_series(1, %d) g`, owners),
		fmt.Sprintf(`INSERT INTO tickets (owner_id, owner_name, title, text, type, status, assignee_id, assignee_name,
				search, created_at, updated_at)
			SELECT owner, 'user_' || (owner - %[1]d), title, text, type, status, assignee,
				CASE WHEN assignee IS NULL THEN '' ELSE 'load_staff_' || assignee END,
				lower(title || ' ' || replace(text, ',', '') || ' user ' || (owner - %[1]d)),
				now() - (%[2]d - g) * interval '10 minutes', now() - (%[2]d - g) * interval '10 minutes'
			FROM (
				SELECT g,
					%[1]d + 1 + floor(random() * %[3]d)::bigint AS owner,
					CASE WHEN r < 0.2 THEN 'Принтер ' ELSE '' END || w[1 + floor(random() * 16)::int] || ' ' ||
						w[1 + floor(random() * 16)::int] AS title,
					w[1 + floor(random() * 16)::int] || ' ' || w[1 + floor(random() * 16)::int] || ', ' ||
						w[1 + floor(random() * 16)::int] || ' ' || w[1 + floor(random() * 16)::int] ||
						CASE WHEN g %% 5000 = 0 THEN ' стабилизатор' ELSE '' END AS text,
					(ARRAY['repair', 'repair', 'repair', 'consultation', 'consultation', 'service'])[1 + floor(random() * 6)::int] AS type,
					CASE WHEN s < 0.12 THEN 'open' WHEN s < 0.2 THEN 'in_progress' ELSE 'closed' END AS status,
					CASE WHEN random() < 0.2 THEN NULL ELSE 1 + floor(random() * %[1]d)::bigint END AS assignee
				FROM (SELECT g, random() AS r, random() AS s FROM generate_series(1, %[2]d) g) gs,
					(SELECT ARRAY['не', 'печатает', 'замяло', 'бумагу', 'экран', 'мигает', 'ноутбук', 'сеть',
						'router', 'printer', 'screen', 'broken', 'звук', 'пропал', 'тариф', 'wifi'] AS w) v
			) x`, staff, tickets, owners),
		// The tickets not closed have their pending due time: a third of
		// them past (overdue), the rest to come.
		`UPDATE tickets SET next_due_at = now() + (random() * 3 - 1) * interval '3 days' WHERE status <> 'closed'`,
		`ANALYZE`,
	} {
		_, err := conn.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	var n int
	require.NoError(t, conn.GetContext(ctx, &n, `SELECT sum(n) FROM ticket_counts`))
	require.Equal(t, tickets, n, "the triggers counted every ticket")
}
