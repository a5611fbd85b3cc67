package web

import (
	"bytes"

	"crm/adapters/i18n"
)

// The staff queue (GET /admin/tickets), where staff spend their day, is
// written here rather than by a template, straight into the page's buffer,
// as a person's list is (my_tickets_html.go): its status tabs and filter
// form (queue_filters_html.go) and its rows (ticket_rows_html.go) were
// already written in Go, and the template left around them, a dozen
// actions each called through reflection and an escaper, cost about a
// tenth of the server's CPU a queue page. The markup is the former
// queue.html's to the byte (the golden pages in testdata/: *_queue*, made
// by that template); values are escaped as html/template escaped them
// there (escapeHTML, escapeURLAttr for links).

// queueKeys are the messages the page shows (its filter form's too:
// queueWords); construction checks that every language has them.
var queueKeys = []string{
	"queue.title", "queue.count", "queue.count_capped", "csv.download", "form.fix_errors",
	"queue.by_status", "queue.all", "queue.search", "field.status", "field.type", "field.assignee", "sla.sort",
	"queue.any", "queue.anyone", "queue.unassigned", "queue.mine", "sla.sort_newest", "sla.sort_due",
	"sla.overdue_only", "queue.apply",
	"ticket.title_col", "ticket.owner", "ticket.type", "ticket.status", "ticket.assignee", "sla.due",
	"ticket.rating", "ticket.updated",
	"queue.no_more", "queue.empty_filtered", "queue.reset", "queue.empty",
	"pager.label", "pager.first", "pager.older",
}

// queueText is the page's fixed text in one language, escaped once.
type queueText struct {
	lang *i18n.Lang
	// title is the page's title; head runs from the content's start to
	// the status tabs; table runs from the CSV link's address to the rows.
	title, head, table string
	// noMore is the past-the-end list up to its link; emptyFiltered and
	// empty are the lists with nothing to show, filtered or not.
	noMore, emptyFiltered, empty string
	pager                        pagerText
}

// queueTexts are the page's texts in every language, made once.
var queueTexts = newByLanguage(func(_ string, l *i18n.Lang, msg func(string) string) *queueText {
	title := msg("queue.title")
	col := func(key string) string { return `<th scope="col">` + msg(key) + `</th>` }
	return &queueText{
		lang:  l,
		title: title,
		head:  "\n<h1>" + title + "</h1>\n<div data-live-region=\"tabs\">\n",
		table: "\" download>" + msg("csv.download") + "</a></p>\n<table class=\"list\">\n  <thead>\n    <tr>\n      " +
			`<th scope="col">#</th>` + col("ticket.title_col") + col("ticket.owner") + "\n      " +
			col("ticket.type") + col("ticket.status") + "\n      " +
			col("ticket.assignee") + col("sla.due") + col("ticket.rating") + col("ticket.updated") +
			"\n    </tr>\n  </thead>\n  <tbody>",
		noMore:        "\n<p class=\"empty\">" + msg("queue.no_more") + " <a href=\"",
		emptyFiltered: "\n<p class=\"empty\">" + msg("queue.empty_filtered") + ` <a href="/admin/tickets">` + msg("queue.reset") + "</a></p>",
		empty:         "\n<p class=\"empty\">" + msg("queue.empty") + "</p>",
		pager:         newPagerText(msg),
	}
})

func (p *queuePage) writeTitle(b *bytes.Buffer) error {
	b.WriteString(queueTexts.in(p.Lang).title)
	return nil
}

// writeContent writes the queue: its status tabs, what is wrong with the
// filters, the filter form, then the count, rows and pager; or the link
// back to the newest page past the last one; or why there is nothing to
// show.
func (p *queuePage) writeContent(b *bytes.Buffer) error {
	qt := queueTexts.in(p.Lang)
	b.WriteString(qt.head)
	p.writeStatusTabs(b)
	b.WriteString("\n</div>\n")
	p.Form.writeSummary(b, p.Lang)
	b.WriteString("\n")
	p.writeFilterForm(b)
	b.WriteString("\n<div data-live-region=\"list\">")
	switch {
	case len(p.Tickets) > 0:
		key := "queue.count"
		if p.Capped {
			key = "queue.count_capped"
		}
		count, err := qt.lang.FormatPlural(key, p.Total)
		if err != nil {
			return err
		}
		b.WriteString("\n<p class=\"muted\">")
		writeEscaped(b, count)
		b.WriteString("\n  · <a href=\"")
		b.WriteString(escapeURLAttr(p.CSVURL))
		b.WriteString(qt.table)
		writeQueueRows(b, p.Lang, p.Tickets, p.now)
		b.WriteString("\n  </tbody>\n</table>\n")
		p.Pager.write(b, &qt.pager)
	case p.Pager.First != "":
		p.Pager.writeBackToFirst(b, qt.noMore, &qt.pager)
	case p.Filtered:
		b.WriteString(qt.emptyFiltered)
	default:
		b.WriteString(qt.empty)
	}
	b.WriteString("\n</div>\n")
	return nil
}
