package web

import (
	"bytes"

	"crm/adapters/i18n"
)

// A person's list (GET /tickets), the busiest page, is written here rather
// than by a template, straight into the page's buffer: its rows as they
// are made, with no intermediate HTML string per page. The markup is the
// former my_tickets.html's to the byte (the golden pages in testdata/:
// *_my_tickets*, made by that template); values are escaped as
// html/template escaped them there (escapeHTML, escapeURLAttr for the
// pager's links).

// myTicketsKeys are the messages the page shows; construction checks that
// every language has them.
var myTicketsKeys = []string{
	"my_tickets.title", "my_tickets.new", "my_tickets.no_more", "my_tickets.empty", "my_tickets.empty_action",
	"ticket.title_col", "ticket.type", "ticket.status", "ticket.updated",
	"pager.label", "pager.first", "pager.older",
}

// myTicketsText is the page's fixed text in one language, escaped once.
type myTicketsText struct {
	lang *i18n.Lang
	// title is the page's title; head runs from the content's start to
	// the list, table from the count to the rows.
	title, head, table string
	noMore, empty      string // the parts of the past-the-end and empty lists before their links
	pager              pagerText
}

// myTicketsTexts are the page's texts in every language, made once.
var myTicketsTexts = newByLanguage(func(_ string, l *i18n.Lang, msg func(string) string) *myTicketsText {
	title := msg("my_tickets.title")
	return &myTicketsText{
		lang:  l,
		title: title,
		head: "\n<div class=\"page-head\">\n  <h1>" + title + "</h1>\n" +
			"  <a class=\"button\" href=\"/tickets/new\">" + msg("my_tickets.new") + "</a>\n</div>\n" +
			"<div data-live-region=\"list\">",
		table: "</p>\n<table class=\"list\">\n  <thead>\n    <tr><th scope=\"col\">#</th><th scope=\"col\">" +
			msg("ticket.title_col") + "</th><th scope=\"col\">" + msg("ticket.type") + "</th><th scope=\"col\">" +
			msg("ticket.status") + "</th><th scope=\"col\">" + msg("ticket.updated") + "</th></tr>\n  </thead>\n  <tbody>",
		noMore: "\n<p class=\"empty\">" + msg("my_tickets.no_more") + " <a href=\"",
		empty: "\n<div class=\"empty\">\n  <p>" + msg("my_tickets.empty") + "</p>\n" +
			"  <p><a class=\"button\" href=\"/tickets/new\">" + msg("my_tickets.empty_action") + "</a></p>\n</div>",
		pager: newPagerText(msg),
	}
})

func (p *myTicketsPage) writeTitle(b *bytes.Buffer) error {
	b.WriteString(myTicketsTexts.in(p.Lang).title)
	return nil
}

// writeContent writes the list: its count, rows and pager; or the link
// back to the newest page past the last one; or, with no tickets at all,
// the invitation to submit one.
func (p *myTicketsPage) writeContent(b *bytes.Buffer) error {
	mt := myTicketsTexts.in(p.Lang)
	b.WriteString(mt.head)
	switch {
	case len(p.tickets) > 0:
		count, err := mt.lang.FormatPlural("my_tickets.count", p.Total)
		if err != nil {
			return err
		}
		b.WriteString("\n<p class=\"muted\">")
		writeEscaped(b, count)
		b.WriteString(mt.table)
		n, s := namesFor(p.Lang), new(rowScratch)
		for _, t := range p.tickets {
			r := newTicketRow(p.Lang, &n, t, p.now)
			writeTicketRow(b, s, p.Lang, p.now, &n.rows, &r, false)
		}
		b.WriteString("\n  </tbody>\n</table>\n")
		p.Pager.write(b, &mt.pager)
	case p.Pager.First != "":
		p.Pager.writeBackToFirst(b, mt.noMore, &mt.pager)
	default:
		b.WriteString(mt.empty)
	}
	b.WriteString("\n</div>\n")
	return nil
}
