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
	// The first responses and resolutions: how many, their mean time
	// ("3 h 20 min") and the share that met its target ("75%"), "—"
	// without any.
	Responses, Resolutions             int
	ResponseMean, ResolutionMean       string
	ResponseMet, ResolutionMet         string
	responseSeconds, resolutionSeconds int64
	responseShare, resolutionShare     string // for the CSV: "75.0", "" without any
}

// reportSummary is the figures of the whole period.
type reportSummary struct {
	Opened, Closed    int
	Average           string
	Ratings           int
	ResponseMedian    string
	ResponseP90       string
	Responses         int
	ResolutionMedian  string
	ResolutionP90     string
	Resolutions       int
	ResponseMet       string
	ResolutionMet     string
	ResponsesJudged   int
	ResolutionsJudged int
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
	Summary    reportSummary
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
	v.Summary = reportSummary{
		Opened: rep.Total.Opened, Closed: rep.Total.Closed, Average: v.Total.Average, Ratings: rep.Total.Ratings,
		Responses: rep.Response.Count, ResponseMedian: duration(lang, rep.Response.Median, rep.Response.Count > 0),
		ResponseP90: duration(lang, rep.Response.P90, rep.Response.Count > 0),
		Resolutions: rep.Resolution.Count, ResolutionMedian: duration(lang, rep.Resolution.Median, rep.Resolution.Count > 0),
		ResolutionP90: duration(lang, rep.Resolution.P90, rep.Resolution.Count > 0),
		ResponseMet:   v.Total.ResponseMet, ResolutionMet: v.Total.ResolutionMet,
		ResponsesJudged: rep.Total.Responses.Judged, ResolutionsJudged: rep.Total.Resolutions.Judged,
	}
	v.TypeTable = reportTable{Caption: msg("reports.by_type"), Head: msg("reports.type"), Lines: v.ByType, Total: v.Total, Opened: true}
	v.AssigneeTable = reportTable{Caption: msg("reports.by_assignee"), Head: msg("reports.assignee"), Lines: v.ByAssignee, Total: v.Total}
	return v
}

func lineRow(lang, name string, l application.ReportLine) reportLineRow {
	r, d := l.Responses, l.Resolutions
	return reportLineRow{Name: name, Opened: l.Opened, Closed: l.Closed, Ratings: l.Ratings,
		Average:   decimal(lang, l.AverageRating, l.Ratings > 0),
		Responses: r.Count, ResponseMean: duration(lang, r.Mean, r.Count > 0), ResponseMet: percent(lang, r),
		Resolutions: d.Count, ResolutionMean: duration(lang, d.Mean, d.Count > 0), ResolutionMet: percent(lang, d),
		responseSeconds: int64(r.Mean / time.Second), resolutionSeconds: int64(d.Mean / time.Second),
		responseShare: share(lang, r), resolutionShare: share(lang, d),
	}
}

// percent is the share of m that met its target, "75%" ("75 %" in
// Russian), "—" when none had a target.
func percent(lang string, m application.Measured) string {
	if m.Judged == 0 {
		return "—"
	}
	n := strconv.FormatFloat(100*m.Share(), 'f', 0, 64)
	if lang == "ru" {
		return n + " %"
	}
	return n + "%"
}

// share is percent for the CSV: a bare number with one decimal, "" when
// none had a target.
func share(lang string, m application.Measured) string {
	if m.Judged == 0 {
		return ""
	}
	return decimal(lang, 100*m.Share(), true)
}

// duration words a time as a report shows it: "2 d 3 h", "3 h 20 min",
// "12 min", "40 s"; "—" when there is no figure.
func duration(lang string, d time.Duration, ok bool) string {
	if !ok {
		return "—"
	}
	s := int64(d / time.Second)
	switch {
	case s >= 86400:
		return i18n.Message(lang, "reports.duration_days", "d", s/86400, "h", s%86400/3600)
	case s >= 3600:
		return i18n.Message(lang, "reports.duration_hours", "h", s/3600, "m", s%3600/60)
	case s >= 60:
		return i18n.Message(lang, "reports.duration_minutes", "m", s/60)
	}
	return i18n.Message(lang, "reports.duration_seconds", "s", s)
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
