package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"crm/adapters/i18n"
	"crm/application"
)

// exportReportCSV answers GET /admin/reports.csv: the table of the report
// of the same period as /admin/reports (?from=, ?to=), one row per day,
// type and assignee and the total, headed in the reader's language, in
// UTF-8 with a byte order mark. A bad period is the 422 page.
func (h *Handler) exportReportCSV(w http.ResponseWriter, r *http.Request, v *visitor) error {
	q := r.URL.Query()
	rep, err := h.app.GetReport.Handle(r.Context(), application.GetReport{
		Actor: v.User, From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
	})
	if err != nil {
		return err
	}
	view := newReportView(v.Lang, rep)
	msg := func(key string) string { return i18n.Message(v.Lang, key) }
	var b strings.Builder
	b.WriteString(utf8BOM)
	cw := csv.NewWriter(&b)
	itoa := strconv.Itoa
	rows := [][]string{{msg("reports.csv_group"), msg("reports.csv_name"), msg("reports.opened"), msg("reports.closed"),
		msg("reports.ratings"), msg("reports.average_rating"),
		msg("reports.responses"), msg("reports.csv_response_mean"), msg("reports.csv_response_met"),
		msg("reports.resolutions"), msg("reports.csv_resolution_mean"), msg("reports.csv_resolution_met")}}
	for _, d := range view.Days {
		rows = append(rows, []string{msg("reports.csv_day"), d.ISO, itoa(d.Opened), itoa(d.Closed), "", "", "", "", "", "", "", ""})
	}
	seconds := func(n int, s int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(s, 10)
	}
	line := func(group string, l reportLineRow) []string {
		avg := l.Average
		if l.Ratings == 0 {
			avg = ""
		}
		return []string{group, csvText(l.Name), itoa(l.Opened), itoa(l.Closed), itoa(l.Ratings), avg,
			itoa(l.Responses), seconds(l.Responses, l.responseSeconds), l.responseShare,
			itoa(l.Resolutions), seconds(l.Resolutions, l.resolutionSeconds), l.resolutionShare}
	}
	for _, l := range view.ByType {
		rows = append(rows, line(msg("reports.csv_type"), l))
	}
	for _, l := range view.ByAssignee {
		rows = append(rows, line(msg("reports.csv_assignee"), l))
	}
	rows = append(rows, line(msg("reports.total"), view.Total))
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write report csv: %w", err)
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="report-%s-%s.csv"`, view.From, view.To))
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Length", strconv.Itoa(b.Len()))
	_, _ = w.Write([]byte(b.String()))
	return nil
}
