package web

import (
	"net/http"
	"strings"

	"crm/application"
)

type reportPage struct {
	layout
	Form   *form // the period, with its errors
	Report *reportView
	CSVURL string
}

// showReport answers GET /admin/reports: the period's tickets opened and
// closed per day as a chart and a table, and the figures by type and by
// assignee. ?from= and ?to= are dates (2026-03-01), both included; without
// them, the last 30 days. A bad period is a 422 with the form and its
// message, and no figures.
func (h *Handler) showReport(w http.ResponseWriter, r *http.Request, v *visitor) error {
	q := r.URL.Query()
	from, to := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	p := &reportPage{layout: layout{Section: "reports"}, Form: emptyForm(map[string]string{"from": from, "to": to})}
	p.Form.fields = []string{"from", "to"}
	rep, err := h.app.GetReport.Handle(r.Context(), application.GetReport{Actor: v.User, From: from, To: to})
	if reportPeriodErrors(v.Lang, p.Form, err) {
		return h.render(w, r, v, problemInvalid.Status, "reports", p)
	}
	if err != nil {
		return err
	}
	view := newReportView(v.Lang, rep)
	p.Report = &view
	p.Form.Set("from", view.From)
	p.Form.Set("to", view.To)
	p.CSVURL = "/admin/reports.csv?" + reportQuery(view.From, view.To)
	return h.render(w, r, v, http.StatusOK, "reports", p)
}
