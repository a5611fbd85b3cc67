package e2e

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// csvRows checks an export's BOM and header and returns its rows.
func csvRows(t *testing.T, body string) [][]string {
	t.Helper()
	rows := readCSV(t, body)
	require.Equal(t, []string{"number", "title", "type", "status", "owner", "assignee", "created", "updated", "rating"}, rows[0])
	return rows[1:]
}

// readCSV parses an export: a byte order mark first (for spreadsheet
// programs), then at least a header row.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	require.True(t, strings.HasPrefix(body, "\uFEFF"), "a byte order mark first")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	return rows
}

var cyrillic = regexp.MustCompile(`\p{Cyrillic}`)

// A hundred thousand tickets export whole, as the queue filters them, on
// the pages and through the API, each ticket once, Cyrillic intact.
func TestQueueCSVOfAHundredThousandTickets(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100,000 tickets")
	}
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("csv_owner", "correct-horse")
		mine := owner.submit("Холодильник «Бирюса» не морозит", "Совсем", "repair")
		out, errOut, code := a.crm("", "demo", "--tickets", "100000", "--users", "50")
		require.Equal(t, 0, code, "demo: %s %s", out, errOut)
		staff := a.staffBrowser("csv_staff", "staff")
		token := a.mustIssueToken("csv_staff")

		res := staff.get("/admin/tickets.csv")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Contains(t, res.header.Get("Content-Disposition"), "attachment; filename=tickets-")
		rows := csvRows(t, res.body)
		assert.GreaterOrEqual(t, len(rows), 100_001, "the demo's tickets and the owner's")
		_, all := a.apiCall(token, "GET", "/api/v1/queue", "")
		assert.Equal(t, all["total"], float64(len(rows)), "one row per ticket the queue counts")
		seen := make(map[string]bool, len(rows))
		russian := 0
		for _, row := range rows {
			require.False(t, seen[row[0]], "ticket %s twice", row[0])
			seen[row[0]] = true
			if cyrillic.MatchString(row[1]) {
				russian++
			}
		}
		assert.Positive(t, russian, "Cyrillic titles come through")
		row := findRow(rows, mine)
		require.NotNil(t, row, "the owner's ticket is listed")
		assert.Equal(t, []string{fmt.Sprint(mine), "Холодильник «Бирюса» не морозит", "repair", "open", "csv_owner", ""}, row[:6])
		_, err := time.Parse(time.RFC3339, row[6])
		assert.NoError(t, err, "created in RFC 3339")
		assert.True(t, strings.HasSuffix(row[6], "Z"), "in UTC: %s", row[6])

		for _, filter := range []string{"type=repair", "status=closed", "status=open&type=service"} {
			res = staff.get("/admin/tickets.csv?" + filter)
			require.Equal(t, http.StatusOK, res.status, res.body)
			rows := csvRows(t, res.body)
			_, page := a.apiCall(token, "GET", "/api/v1/queue?"+filter, "")
			assert.Equal(t, page["total"], float64(len(rows)), filter)
			for _, row := range rows {
				if strings.Contains(filter, "type=repair") {
					require.Equal(t, "repair", row[2])
				}
				if strings.Contains(filter, "status=closed") {
					require.Equal(t, "closed", row[3])
				}
			}
		}

		api := a.getWithToken(token, "/api/v1/queue.csv?type=repair&q=%D0%B1%D0%B8%D1%80%D1%8E%D1%81%D0%B0")
		require.Equal(t, http.StatusOK, api.status, api.body)
		rows = csvRows(t, api.body)
		require.NotEmpty(t, rows)
		assert.Equal(t, fmt.Sprint(mine), rows[len(rows)-1][0], "the search applies; the oldest match is the owner's")
		assert.Equal(t, http.StatusUnprocessableEntity, a.getWithToken(token, "/api/v1/queue.csv?status=lost").status)
	})
}

// findRow is the row of ticket id.
func findRow(rows [][]string, id int64) []string {
	for _, row := range rows {
		if row[0] == fmt.Sprint(id) {
			return row
		}
	}
	return nil
}
