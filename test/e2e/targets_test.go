package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/postgres"
	"crm/adapters/sqlite"
)

// ageTicket moves ticket id's creation, due, response and pause times back
// by d, as if all of it had happened d earlier: the one way to have an overdue ticket without
// waiting for its target to pass. It writes the database directly.
func (a *app) ageTicket(id int64, d time.Duration) {
	a.t.Helper()
	var db *sqlx.DB
	var err error
	var shift string
	if path, ok := strings.CutPrefix(a.dbURL, "sqlite:"); ok {
		db, err = sqlite.Open(a.t.Context(), path)
		shift = fmt.Sprintf("- %d", d.Microseconds()) // INTEGER unix microseconds
	} else {
		db, err = postgres.Open(a.t.Context(), a.dbURL)
		shift = fmt.Sprintf("- interval '%d microseconds'", d.Microseconds())
	}
	require.NoError(a.t, err)
	defer func() { _ = db.Close() }()
	q := `UPDATE tickets SET created_at = created_at %[1]s, response_due_at = response_due_at %[1]s,
		resolution_due_at = resolution_due_at %[1]s, next_due_at = next_due_at %[1]s,
		first_response_at = first_response_at %[1]s, waiting_since = waiting_since %[1]s WHERE id = %[2]d`
	res, err := db.ExecContext(a.t.Context(), fmt.Sprintf(q, shift, id))
	require.NoError(a.t, err)
	n, err := res.RowsAffected()
	require.NoError(a.t, err)
	require.EqualValues(a.t, 1, n)
}

// queueIDs are the ticket ids of the queue page at path, in order.
func queueIDs(t *testing.T, b *browser, path string) []int64 {
	t.Helper()
	page := b.get(path)
	require.Equal(t, http.StatusOK, page.status, page.body)
	var ids []int64
	for _, part := range strings.Split(page.body, `<td data-label="#">`)[1:] {
		var id int64
		_, err := fmt.Sscanf(part, "%d<", &id)
		require.NoError(t, err)
		ids = append(ids, id)
	}
	return ids
}

// Tickets get due times from their type's targets; the queue puts the
// soonest due first and filters the overdue, on the pages and through the
// API; asking the owner stops the clock until they answer.
func TestResponseTargetsOrderAndFilterTheQueue(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("sla_owner", "correct-horse")
		staff := a.staffBrowser("sla_staff", "staff")
		token := a.mustIssueToken("sla_staff")

		fresh := owner.submit("Fresh", "filed now", "repair")            // due in 4 h
		late := owner.submit("Late", "filed a day ago", "repair")        // aged below: overdue
		lateLess := owner.submit("Less late", "filed 5 h ago", "repair") // overdue by an hour
		asked := owner.submit("Asked", "staff asked the owner", "consultation")
		a.ageTicket(late, 24*time.Hour)
		a.ageTicket(lateLess, 5*time.Hour)
		a.ageTicket(asked, 24*time.Hour)
		r := staff.post(fmt.Sprintf("/tickets/%d/comments", asked),
			url.Values{"text": {"Which model is it?"}, "ask_owner": {"true"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		a.ageTicket(asked, 24*time.Hour) // filed two days ago, asked one day ago

		assert.Equal(t, []int64{late, lateLess, fresh, asked}, queueIDs(t, staff, "/admin/tickets?sort=due"),
			"soonest due first; the paused ticket has nothing due")
		assert.Equal(t, []int64{lateLess, late}, queueIDs(t, staff, "/admin/tickets?overdue=1"),
			"only the overdue, newest first")
		assert.Equal(t, []int64{late, lateLess}, queueIDs(t, staff, "/admin/tickets?overdue=1&sort=due"))
		page := staff.get("/admin/tickets?sort=due&limit=1")
		assert.Contains(t, page.body, `class="badge sla-overdue"`)
		assert.Contains(t, page.body, `<option value="due" selected>`)

		ticket := staff.get(fmt.Sprintf("/admin/tickets/%d", asked))
		assert.Contains(t, ticket.body, "Waiting for the owner")
		assert.Contains(t, ticket.body, `class="badge sla-missed"`, "the question was the first response, a day late")
		assert.Contains(t, ticket.body, `class="badge sla-paused"`)
		mine := owner.get(fmt.Sprintf("/tickets/%d", late))
		assert.Contains(t, mine.body, "First response due")
		assert.Contains(t, mine.body, `class="badge sla-overdue"`)

		res, doc := a.apiCall(token, "GET", "/api/v1/queue?sort=due", "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		tickets := doc["tickets"].([]any)
		require.Len(t, tickets, 4)
		first := tickets[0].(map[string]any)
		assert.Equal(t, float64(late), first["id"])
		assert.Equal(t, true, first["overdue"])
		due, err := time.Parse(time.RFC3339, first["response_due_at"].(string))
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now().Add(-20*time.Hour), due, time.Hour, "filed a day ago, 4 h to answer")
		res, doc = a.apiCall(token, "GET", "/api/v1/queue?overdue=1", "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.EqualValues(t, 2, doc["total"])
		res, _ = a.apiCall(token, "GET", "/api/v1/queue?sort=soon", "")
		assert.Equal(t, http.StatusUnprocessableEntity, res.status, res.body)

		// The owner answers: the clock runs again and the day spent waiting
		// does not count: filed two days ago, the consultation is due in
		// two days rather than one.
		r = owner.post(fmt.Sprintf("/tickets/%d/comments", asked), url.Values{"text": {"HP LaserJet"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		res, doc = a.apiCall(token, "GET", fmt.Sprintf("/api/v1/tickets/%d", asked), "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, false, doc["overdue"])
		resolution, err := time.Parse(time.RFC3339, doc["resolution_due_at"].(string))
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now().Add(48*time.Hour), resolution, 10*time.Minute,
			"three days from the filing plus the day of waiting")
	})
}

// The admin sets a type's targets; bad input is refused beside its field
// and saves nothing; new tickets of the type get the new targets.
func TestAdminSetsResponseTargets(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		admin := a.staffBrowser("sla_admin", "admin")
		page := admin.get("/admin/sla")
		require.Equal(t, http.StatusOK, page.status)
		assert.Contains(t, page.body, `name="response" value="4h"`, "the default first response target")
		assert.Contains(t, page.body, `name="resolution" value="3d"`)

		bad := []struct {
			name    string
			form    url.Values
			message string
		}{
			{"zero", url.Values{"response": {"0"}, "resolution": {"3d"}}, "The target must be longer than zero."},
			{"nonsense", url.Values{"response": {"soon"}, "resolution": {"3d"}}, "Write the target as 4h, 3d, 1d 4h or 90m."},
			{"negative", url.Values{"response": {"-4h"}, "resolution": {"3d"}}, "Write the target as 4h, 3d, 1d 4h or 90m."},
			{"overlapping hours", url.Values{"response": {"4h"}, "resolution": {"3d"}, "calendar": {"business"},
				"time_zone": {"Europe/Moscow"}, "schedule": {"mon 09:00-13:00\nmon 12:00-18:00"}}, "Two ranges of the same day overlap."},
			{"unknown zone", url.Values{"response": {"4h"}, "resolution": {"3d"}, "calendar": {"business"},
				"time_zone": {"Mars/Olympus"}, "schedule": {"mon 09:00-18:00"}}, "This is not a time zone we know"},
		}
		for _, tc := range bad {
			tc.form.Set("type", "repair")
			r := admin.post("/admin/sla", tc.form)
			assert.Equal(t, http.StatusUnprocessableEntity, r.status, tc.name)
			assert.Contains(t, r.body, tc.message, tc.name)
		}
		page = admin.get("/admin/sla")
		assert.Contains(t, page.body, `name="response" value="4h"`, "nothing was saved")

		r := admin.post("/admin/sla", url.Values{"type": {"repair"}, "response": {"1h"}, "resolution": {"1d"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		page = admin.get(r.location)
		assert.Contains(t, page.body, "Targets saved.")
		assert.Contains(t, page.body, `name="response" value="1h"`)

		id := admin.submit("Printer", "jams", "repair")
		token := a.mustIssueToken("sla_admin")
		res, doc := a.apiCall(token, "GET", fmt.Sprintf("/api/v1/tickets/%d", id), "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		due, err := time.Parse(time.RFC3339, doc["response_due_at"].(string))
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now().Add(time.Hour), due, 10*time.Minute)
	})
}
