package web

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"crm/adapters/i18n"
	"crm/adapters/web/chart"
	"crm/application"
	"crm/domain"
)

// reportDayRow is one day of a report as its table shows it.
type reportDayRow struct {
	ISO    string // 2026-03-02, for <time datetime> and the CSV
	Opened int
	Closed int
}

// reportLineRow is one line of a report's tables (a type, an assignee, or
// everything), worded in the reader's language.
type reportLineRow struct {
	Name    string
	Opened  int
	Closed  int
	Ratings int
	Average string // the mean rating, "4.5" or "4,5"; "—" without ratings
}

// reportTable is a table of report lines: by type or by assignee, with
// the total in its foot.
type reportTable struct {
	Caption string
	Head    string // the heading of the names' column
	Lines   []reportLineRow
	Total   reportLineRow
	Opened  bool // whether the table has the opened column
}

// reportView is a report laid out for the page and the CSV.
type reportView struct {
	From, To   string
	Days       []reportDayRow
	DayChart   template.HTML
	TypeChart  template.HTML
	Total      reportLineRow
	ByType     []reportLineRow
	ByAssignee []reportLineRow
	// The tables of the page.
	TypeTable, AssigneeTable reportTable
}

// maxDayLabels is how many dates the x axis of the daily chart writes at
// most; every bar keeps its own title.
const maxDayLabels = 12

// newReportView words rep in lang and draws its charts.
func newReportView(lang string, rep application.Report) reportView {
	msg := func(key string) string { return i18n.Message(lang, key) }
	v := reportView{From: rep.First.Format(time.DateOnly), To: rep.Last.Format(time.DateOnly)}
	labels := make([]string, len(rep.Days))
	opened := make([]int, len(rep.Days))
	closed := make([]int, len(rep.Days))
	for i, d := range rep.Days {
		v.Days = append(v.Days, reportDayRow{ISO: d.Day.Format(time.DateOnly), Opened: d.Opened, Closed: d.Closed})
		labels[i], opened[i], closed[i] = shortDate(lang, d.Day), d.Opened, d.Closed
	}
	v.DayChart = chart.Bars{
		Title: i18n.Message(lang, "reports.chart_days", "from", v.From, "to", v.To), Labels: labels, MaxLabels: maxDayLabels,
		Series: []chart.Series{
			{Name: msg("reports.opened"), Class: "opened", Values: opened},
			{Name: msg("reports.closed"), Class: "closed", Values: closed},
		},
	}.SVG()
	names := namesFor(lang)
	v.Total = lineRow(lang, msg("reports.total"), rep.Total)
	var typeLabels []string
	var typeOpened, typeClosed []int
	for _, l := range rep.ByType {
		row := lineRow(lang, names.types[l.Type], l)
		v.ByType = append(v.ByType, row)
		typeLabels = append(typeLabels, row.Name)
		typeOpened, typeClosed = append(typeOpened, l.Opened), append(typeClosed, l.Closed)
	}
	v.TypeChart = chart.Bars{
		Title: i18n.Message(lang, "reports.chart_types", "from", v.From, "to", v.To), Labels: typeLabels,
		Series: []chart.Series{
			{Name: msg("reports.opened"), Class: "opened", Values: typeOpened},
			{Name: msg("reports.closed"), Class: "closed", Values: typeClosed},
		},
	}.SVG()
	for _, l := range rep.ByAssignee {
		name := l.Name
		if l.AssigneeID == 0 {
			name = msg("reports.nobody")
		}
		row := lineRow(lang, name, l)
		row.Opened = 0 // see application.ReportGroup: tickets open under nobody
		v.ByAssignee = append(v.ByAssignee, row)
	}
	v.TypeTable = reportTable{Caption: msg("reports.by_type"), Head: msg("reports.type"), Lines: v.ByType, Total: v.Total, Opened: true}
	v.AssigneeTable = reportTable{Caption: msg("reports.by_assignee"), Head: msg("reports.assignee"), Lines: v.ByAssignee, Total: v.Total}
	return v
}

func lineRow(lang, name string, l application.ReportLine) reportLineRow {
	return reportLineRow{Name: name, Opened: l.Opened, Closed: l.Closed, Ratings: l.Ratings,
		Average: decimal(lang, l.AverageRating, l.Ratings > 0)}
}

// decimal writes f with one decimal as lang does ("4.5", "4,5"), "—" when
// there is no figure.
func decimal(lang string, f float64, ok bool) string {
	if !ok {
		return "—"
	}
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if lang == "ru" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// shortDate is a day as a chart's axis writes it: "Mar 2", "02.03".
func shortDate(lang string, d time.Time) string {
	if lang == "ru" {
		return d.Format("02.01")
	}
	return d.Format("Jan 2")
}

// reportQuery is the period of a report as its URLs carry it.
func reportQuery(from, to string) string {
	v := url.Values{}
	v.Set("from", from)
	v.Set("to", to)
	return v.Encode()
}

// reportPeriodErrors words the validation errors of a report period with
// the reports' own messages ("reports.error.<field>_<code>"), and reports
// whether err held any.
func reportPeriodErrors(lang string, f *form, err error) bool {
	verrs, ok := domain.AsValidation(err)
	if !ok {
		return false
	}
	for _, e := range verrs {
		key := "reports.error." + e.Field + "_" + e.Code
		if !i18n.Has(lang, key) {
			key = "reports.error.period"
		}
		if _, seen := f.errors[e.Field]; !seen {
			f.errors[e.Field] = i18n.Message(lang, key)
		}
	}
	return true
}
