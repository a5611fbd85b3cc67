package web

import (
	"bytes"
	"io"
	"strconv"

	"crm/adapters/i18n"
	"crm/domain"
)

// The queue's status tabs and filter form are written here, into the
// page's buffer, for the reason the rows are (ticket_rows_html.go): about a
// hundred template actions, each a call through reflection and an escaper,
// cost as much as the rest of the page's rendering. The markup is the
// former template's to the byte (the golden pages in testdata/ hold it);
// every value goes through escapeHTML.

// queueWords are the queue's labels in one language, escaped, looked up
// once.
type queueWords struct {
	byStatus, all, search, status, typ, assignee, sort   string
	anyValue, anyone, unassigned, mine, newest, dueFirst string
	overdueOnly, apply, reset                            string
	statuses                                             map[domain.Status]string
	types                                                map[domain.TicketType]string
}

// queueWordsByLang are the labels in every language.
var queueWordsByLang = newByLanguage(func(code string, _ *i18n.Lang, esc func(string) string) queueWords {
	w := queueWords{
		byStatus: esc("queue.by_status"), all: esc("queue.all"), search: esc("queue.search"),
		status: esc("field.status"), typ: esc("field.type"), assignee: esc("field.assignee"), sort: esc("sla.sort"),
		anyValue: esc("queue.any"), anyone: esc("queue.anyone"), unassigned: esc("queue.unassigned"),
		mine: esc("queue.mine"), newest: esc("sla.sort_newest"), dueFirst: esc("sla.sort_due"),
		overdueOnly: esc("sla.overdue_only"), apply: esc("queue.apply"), reset: esc("queue.reset"),
		statuses: map[domain.Status]string{}, types: map[domain.TicketType]string{},
	}
	n := namesIn(code)
	for s, name := range n.statuses {
		w.statuses[s] = escapeHTML(name)
	}
	for t, name := range n.types {
		w.types[t] = escapeHTML(name)
	}
	return w
})

// writeStatusTabs writes the status tabs of p in its language: all, then
// each status, with its count ("+" when the counts are lower bounds).
func (p *queuePage) writeStatusTabs(b *bytes.Buffer) {
	w := queueWordsByLang.in(p.Lang)
	writeStrings(b, `<nav class="status-tabs" aria-label="`, w.byStatus, "\">\n  <ul>")
	p.writeTab(b, p.AllURL, p.Filter.Status == "", w.all, p.AllCount)
	for _, c := range p.Counts {
		p.writeTab(b, c.URL, c.Current, w.statuses[c.Status], c.Count)
	}
	b.WriteString("\n  </ul>\n</nav>")
}

// writeTab writes one status tab: a link to url, marked when current, with
// its name (escaped) and count.
func (p *queuePage) writeTab(b *bytes.Buffer, url string, current bool, name string, count int) {
	b.WriteString("\n    <li><a href=\"")
	writeEscaped(b, url)
	b.WriteString(`"`)
	if current {
		b.WriteString(` aria-current="true"`)
	}
	writeStrings(b, ">", name, ` <span class="count">`)
	var num [20]byte
	b.Write(strconv.AppendInt(num[:0], int64(count), 10))
	if p.Capped {
		b.WriteString("+")
	}
	b.WriteString("</span></a></li>")
}

// writeFilterForm writes the filter form of p in its language: the
// search, status, type, assignee (anyone, unassigned, mine, then each of
// the staff), order and overdue fields, each with its error, if any.
func (p *queuePage) writeFilterForm(b *bytes.Buffer) {
	w := queueWordsByLang.in(p.Lang)
	f := p.Filter
	b.WriteString(`<form method="get" action="/admin/tickets" class="filters" role="search">`)
	filterField(b, p.Form, "q", w.search)
	b.WriteString("\n    <input id=\"q\" name=\"q\" type=\"search\" value=\"")
	writeEscaped(b, f.Q)
	b.WriteString(`">`)
	p.Form.writeFieldError(b, "q", "")
	b.WriteString("\n  </div>")

	filterField(b, p.Form, "status", w.status)
	writeStrings(b, "\n    <select id=\"status\" name=\"status\">\n      <option value=\"\">", w.anyValue, "</option>")
	for _, s := range domain.Statuses() {
		option(b, s.String(), w.statuses[s], f.Status)
	}
	endSelect(b, p.Form, "status")

	filterField(b, p.Form, "type", w.typ)
	writeStrings(b, "\n    <select id=\"type\" name=\"type\">\n      <option value=\"\">", w.anyValue, "</option>")
	for _, t := range domain.TicketTypes() {
		option(b, t.String(), w.types[t], f.Type)
	}
	endSelect(b, p.Form, "type")

	filterField(b, p.Form, "assignee", w.assignee)
	writeStrings(b, "\n    <select id=\"assignee\" name=\"assignee\">\n      <option value=\"\">", w.anyone, "</option>")
	option(b, "unassigned", w.unassigned, f.Assignee)
	option(b, "mine", w.mine, f.Assignee)
	var num [20]byte
	for _, u := range p.Staff {
		option(b, string(strconv.AppendInt(num[:0], u.ID(), 10)), escapeHTML(u.Username()), f.Assignee)
	}
	endSelect(b, p.Form, "assignee")

	filterField(b, p.Form, "sort", w.sort)
	writeStrings(b, "\n    <select id=\"sort\" name=\"sort\">\n      <option value=\"\">", w.newest, "</option>")
	option(b, "due", w.dueFirst, f.Sort)
	endSelect(b, p.Form, "sort")

	b.WriteString("\n  <div class=\"field\">\n    <label class=\"choice\"><input type=\"checkbox\" name=\"overdue\" value=\"1\"")
	if f.Overdue == "1" {
		b.WriteString(" checked")
	}
	writeStrings(b, "> ", w.overdueOnly, "</label>\n  </div>\n  <div class=\"filter-actions\">\n    <button type=\"submit\">",
		w.apply, "</button>\n    <a href=\"/admin/tickets\">", w.reset, "</a>\n  </div>\n</form>")
}

// filterField opens the field of the filter name, marked when it has an
// error, with its label.
func filterField(b *bytes.Buffer, f *form, name, label string) {
	b.WriteString("\n  <div class=\"field")
	f.writeHasError(b, name)
	writeStrings(b, "\">\n    <label for=\"", name, "\">", label, "</label>")
}

// option writes one option of a select, selected when value is the
// filter's; value is plain (letters, digits, "_"), text escaped.
func option(b *bytes.Buffer, value, text, selected string) {
	writeStrings(b, "\n      <option value=\"", value, `"`)
	if value == selected {
		b.WriteString(" selected")
	}
	writeStrings(b, ">", text, "</option>")
}

// endSelect closes a select and its field, with the field's error.
func endSelect(b *bytes.Buffer, f *form, name string) {
	b.WriteString("\n    </select>")
	f.writeFieldError(b, name, "")
	b.WriteString("\n  </div>")
}

// writeStrings writes ss one after the other, without joining them into
// a string first.
func writeStrings(b io.StringWriter, ss ...string) {
	for _, s := range ss {
		b.WriteString(s)
	}
}
