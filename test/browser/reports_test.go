package browser

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Staff open the reports: the server-drawn charts render (an SVG with its
// title, bars with their height and labels, colours from the style sheet,
// no script) beside tables of the same numbers, in English and in
// Russian.
func TestBrowserReportChartsRenderInBothLanguages(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.createStaff(t, "rhea.staff", "rhea-reads-reports")
	owner := openTab(t, a, "owner")
	owner.register("olga", "olga-has-a-printer")
	owner.submitTicket("Printer jams", "Repair", "Every page.")
	owner.submitTicket("Which toner?", "Consultation", "For the office printer.")

	staff := openTab(t, a, "staff")
	staff.logIn("rhea.staff", "rhea-reads-reports")
	staff.open("/admin/reports")

	assert.Equal(t, "Reports", staff.text("h1"))
	assert.Equal(t, 2, runJS[int](staff, `document.querySelectorAll('svg.chart[role="img"]').length`), "two charts")
	assert.Contains(t, svgTexts(staff, "svg.chart > title")[0], "Tickets opened and closed per day")
	assert.Equal(t, 60, runJS[int](staff, `document.querySelectorAll('svg.chart')[0].querySelectorAll('rect.chart-bar').length`),
		"30 days, two bars each")
	assert.Greater(t, runJS[float64](staff, `document.querySelector('svg.chart').getBoundingClientRect().width`), 300.0,
		"the chart is laid out on the page")
	assert.Greater(t, runJS[float64](staff,
		`Math.max(...[...document.querySelectorAll('svg.chart')[0].querySelectorAll('rect.chart-bar-opened')].map(r => r.getBBox().height))`),
		100.0, "today's two tickets reach the top of the axis")
	assert.Equal(t, "rgb(31, 78, 140)", runJS[string](staff,
		`getComputedStyle(document.querySelector('rect.chart-bar-opened')).fill`), "coloured by the style sheet, not inline")
	assert.Equal(t, []string{"Consultation", "Repair", "Service"}, svgTexts(staff, `section[aria-labelledby="report-types"] svg .chart-label`),
		"the second chart's labels are the types")
	assert.Equal(t, []string{"Consultation", "Repair", "Service"}, staff.texts(`section[aria-labelledby="report-types"] tbody th`),
		"the numbers in a table beside the chart")
	assert.Equal(t, "2", staff.text(`dd[data-figure="opened"]`))
	assert.Zero(t, runJS[int](staff, `document.querySelectorAll('svg script, [style]').length`), "no script, no inline style")
	staff.screenshot("reports")

	staff.choose("Language", "Русский")
	require.EqualValues(t, http.StatusOK, staff.press("Switch"))
	assert.Equal(t, "ru", staff.lang())
	assert.Equal(t, "Отчёты", staff.text("h1"))
	assert.Contains(t, svgTexts(staff, "svg.chart > title")[0], "Заявки, открытые и закрытые за день")
	assert.Equal(t, []string{"Открыто", "Закрыто"}, svgTexts(staff, `section[aria-labelledby="report-days"] svg .chart-legend`))
	assert.Equal(t, []string{"Консультация", "Ремонт", "Обслуживание"}, staff.texts(`section[aria-labelledby="report-types"] tbody th`))
	staff.screenshot("reports-ru")
}

// svgTexts are the texts of the SVG elements css selects (SVG elements
// have no innerText).
func svgTexts(tb *tab, css string) []string {
	tb.t.Helper()
	return runJS[[]string](tb, fmt.Sprintf(`[...document.querySelectorAll(%s)].map(e => e.textContent.trim())`, js(css)))
}
