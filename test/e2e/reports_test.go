package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reportPeriod is yesterday to tomorrow (UTC): a period around the tickets
// the test makes now, whatever the hour.
func reportPeriod() string {
	today := time.Now().UTC()
	return url.Values{
		"from": {today.AddDate(0, 0, -1).Format(time.DateOnly)},
		"to":   {today.AddDate(0, 0, 1).Format(time.DateOnly)},
	}.Encode()
}

// reportCSVRows reads a report's CSV, which must start with a UTF-8 byte order
// mark, into rows keyed by group and name.
func reportCSVRows(t *testing.T, body string) (header []string, rows map[string][]string) {
	t.Helper()
	records := readCSV(t, body)
	rows = map[string][]string{}
	for _, r := range records[1:] {
		rows[r[0]+"/"+r[1]] = r
	}
	return records[0], rows
}

// Staff see the figures of a small hand-made day on the report page, with
// its charts, and in its CSV, in both languages, on both databases.
func TestTheReportCountsWhatHappened(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("report_owner", "correct-horse")
		repair := owner.submit("Сломался принтер", "Не печатает", "repair")
		owner.submit("Вопрос", "Как настроить почту?", "consultation")
		staff := a.staffBrowser("report_staff", "staff")
		r := staff.post(fmt.Sprintf("/admin/tickets/%d/assign", repair), url.Values{"assignee": {"2"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		r = staff.post(fmt.Sprintf("/admin/tickets/%d/status", repair), url.Values{"status": {"closed"}, "comment": {"Готово"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		r = owner.post(fmt.Sprintf("/tickets/%d/rating", repair), url.Values{"stars": {"4"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)

		page := staff.get("/admin/reports?" + reportPeriod())

		require.Equal(t, http.StatusOK, page.status, page.body)
		assert.Contains(t, page.body, `<svg class="chart"`, "the charts are drawn on the server")
		assert.Contains(t, page.body, `role="img"`)
		assert.Contains(t, page.body, `<dd data-figure="opened">2</dd>`)
		assert.Contains(t, page.body, `<dd data-figure="closed">1</dd>`)
		assert.Contains(t, page.body, `<dd data-figure="average-rating">4.0`)
		assert.Contains(t, page.body, `<dd data-figure="response-met">100%`, "the default targets: answered in time")
		assert.Contains(t, page.body, `<dd data-figure="resolution-met">100%`)
		assert.NotContains(t, page.body, `<dd data-figure="response-median">—`, "a response was measured")

		csvAnswer := staff.get("/admin/reports.csv?" + reportPeriod())
		require.Equal(t, http.StatusOK, csvAnswer.status, csvAnswer.body)
		assert.Equal(t, "text/csv; charset=utf-8", csvAnswer.header.Get("Content-Type"))
		assert.Contains(t, csvAnswer.header.Get("Content-Disposition"), "attachment")
		header, rows := reportCSVRows(t, csvAnswer.body)
		assert.Equal(t, []string{"Group", "Name", "Opened", "Closed", "Ratings", "Average rating", "Answered",
			"Mean first response, s", "First response target met, %", "Resolved", "Mean resolution, s",
			"Resolution target met, %"}, header)
		total := rows["Total/Total"]
		require.NotNil(t, total, "a total row: %v", rows)
		assert.Equal(t, []string{"2", "1", "1", "4.0", "1"}, total[2:7])
		assert.Equal(t, "100.0", total[8], "first response target met")
		assert.Equal(t, "1", total[9], "resolved")
		assert.Equal(t, []string{"1", "1"}, rows["Type/Repair"][2:4])
		assert.Equal(t, []string{"1", "0"}, rows["Type/Consultation"][2:4])
		assert.Equal(t, []string{"0", "1", "1", "4.0"}, rows["Assignee/report_staff"][2:6])
		days := 0
		opened := 0
		for key, row := range rows {
			if strings.HasPrefix(key, "Day/") {
				days++
				opened += atoi(t, row[2])
			}
		}
		assert.Equal(t, 3, days, "every day of the period, empty ones too")
		assert.Equal(t, 2, opened)

		staff.post("/account/language", url.Values{"language": {"ru"}, "next": {"/"}})
		ru := staff.get("/admin/reports?" + reportPeriod())
		require.Equal(t, http.StatusOK, ru.status)
		assert.Contains(t, ru.body, "Заявки, открытые и закрытые за день")
		assert.Contains(t, ru.body, `<dd data-figure="average-rating">4,0`, "a decimal comma in Russian")
		ruCSV := staff.get("/admin/reports.csv?" + reportPeriod())
		ruHeader, ruRows := reportCSVRows(t, ruCSV.body)
		assert.Equal(t, "Открыто", ruHeader[2])
		assert.Equal(t, []string{"1", "1"}, ruRows["Тип/Ремонт"][2:4])
	})
}

// A bad period is a 422 page with a message beside the field and no
// figures; its CSV is refused too.
func TestABadReportPeriodIsRefusedWithAMessage(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		staff := a.staffBrowser("period_staff", "staff")
		for query, message := range map[string]string{
			"from=2026-03-10&to=2026-03-01": "The end must not be before the start.",
			"from=2016-03-01&to=2026-03-01": "A report covers at most 366 days",
			"from=yesterday&to=2026-03-01":  "Enter the start as a date",
			"from=2026-02-30":               "Enter the start as a date",
			"to=2026-13-01":                 "Enter the end as a date",
		} {
			page := staff.get("/admin/reports?" + query)
			assert.Equal(t, http.StatusUnprocessableEntity, page.status, query)
			assert.Contains(t, page.body, message, query)
			assert.NotContains(t, page.body, "<svg", "no figures for a bad period: %s", query)
			assert.Contains(t, page.body, `name="from"`, "the form, to correct it")

			file := staff.get("/admin/reports.csv?" + query)
			assert.Equal(t, http.StatusUnprocessableEntity, file.status, query)
			assert.NotContains(t, file.header.Get("Content-Type"), "csv", query)
		}
	})
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	_, err := fmt.Sscan(s, &n)
	require.NoError(t, err, s)
	return n
}
