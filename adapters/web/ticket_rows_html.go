package web

import (
	"html/template"
	"io"
	"strconv"
	"strings"

	"crm/domain"
)

// The rows of the ticket lists (my tickets, the queue) are written here
// rather than by the templates: a list page shows up to a hundred rows of
// seven cells, and html/template calls an escaper through reflection for
// every value, which cost more than the rest of the request. The markup is
// the templates' to the byte (the golden pages in testdata/ hold it), and
// every value goes through escapeHTML, html/template's own escaping of
// text and quoted attributes.

// rowLabels are the cell labels of a list (data-label, shown on phones) in
// one language, escaped.
type rowLabels struct {
	title, owner, typ, status, assignee, updated, unassigned, rating, unrated string
	// due, overdue, waiting: the queue's due column (ticket_targets_view.go).
	due, overdue, waiting string
	// ratings are the rating cells' contents by stars, 1 to 5 (index 0
	// unused), written once per language.
	ratings [domain.RatingMax + 1]string
}

// labelsIn makes the labels from the messages of one language, msg (made
// once per language, with the other names: namesIn).
func labelsIn(msg func(key string, args ...any) string) rowLabels {
	esc := func(key string) string { return escapeHTML(msg(key)) }
	l := rowLabels{
		title: esc("ticket.title_col"), owner: esc("ticket.owner"), typ: esc("ticket.type"),
		status: esc("ticket.status"), assignee: esc("ticket.assignee"), updated: esc("ticket.updated"),
		unassigned: esc("ticket.unassigned"), rating: esc("ticket.rating"), unrated: esc("ticket.unrated"),
		due: esc("sla.due"), overdue: esc("sla.overdue"), waiting: esc("sla.waiting_short"),
	}
	for n := domain.RatingMin; n <= domain.RatingMax; n++ {
		l.ratings[n] = `<span class="rating" data-rating="` + strconv.Itoa(n) + `"><span aria-hidden="true">` +
			ratingStars(n) + `</span> ` + escapeHTML(msg("ticket.rating_value", "stars", n)) + `</span>`
	}
	return l
}

// myTicketRowsHTML writes the rows of a person's list: number, title (a
// link to /tickets/{id}), type, status, updated.
func myTicketRowsHTML(lang string, rows []ticketRow) template.HTML {
	return ticketRowsHTML(lang, rows, false)
}

// queueRowsHTML writes the rows of the staff queue: number, title (a link
// to /admin/tickets/{id}), owner, type, status, assignee, due, rating,
// updated.
func queueRowsHTML(lang string, rows []ticketRow) template.HTML {
	return ticketRowsHTML(lang, rows, true)
}

func ticketRowsHTML(lang string, rows []ticketRow, staff bool) template.HTML {
	l := namesFor(lang).rows
	href := "/tickets/"
	if staff {
		href = "/admin/tickets/"
	}
	var b strings.Builder
	b.Grow(len(rows) * 700)
	for _, r := range rows {
		id := strconv.FormatInt(r.ID, 10)
		b.WriteString("\n    <tr>\n      <td data-label=\"#\">")
		b.WriteString(id)
		b.WriteString("</td>\n      <td data-label=\"")
		b.WriteString(l.title)
		b.WriteString("\"><a href=\"")
		b.WriteString(href)
		b.WriteString(id)
		b.WriteString("\">")
		b.WriteString(escapeHTML(r.Title))
		b.WriteString("</a></td>")
		if staff {
			cell(&b, l.owner, escapeHTML(r.OwnerName))
		}
		cell(&b, l.typ, escapeHTML(r.Type))
		cell(&b, l.status, `<span class="badge badge-`+escapeHTML(r.Status.Slug)+`">`+escapeHTML(r.Status.Name)+`</span>`)
		if staff {
			if r.AssigneeName != "" {
				cell(&b, l.assignee, escapeHTML(r.AssigneeName))
			} else {
				cell(&b, l.assignee, `<span class="muted">`+l.unassigned+`</span>`)
			}
			cell(&b, l.due, r.Due.html(l))
			if r.Rating >= domain.RatingMin && r.Rating <= domain.RatingMax {
				cell(&b, l.rating, l.ratings[r.Rating])
			} else {
				cell(&b, l.rating, `<span class="muted">`+l.unrated+`</span>`)
			}
		}
		cell(&b, l.updated, `<time datetime="`+escapeHTML(r.Updated.ISO)+`" title="`+escapeHTML(r.Updated.Exact)+`">`+
			escapeHTML(r.Updated.Ago)+`</time>`)
		b.WriteString("\n    </tr>")
	}
	return template.HTML(b.String()) //nolint:gosec // every value above is escaped
}

// cell writes one <td> with its label and its (escaped) content.
func cell(b *strings.Builder, label, html string) {
	b.WriteString("\n      <td data-label=\"")
	b.WriteString(label)
	b.WriteString("\">")
	b.WriteString(html)
	b.WriteString("</td>")
}

// htmlEscapes is html/template's escaping of text and quoted attribute
// values (its htmlReplacementTable): NUL becomes U+FFFD.
var htmlEscapes = strings.NewReplacer(
	"\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;",
)

// escapeHTML escapes s as html/template does in text and in a quoted
// attribute value.
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, "\x00\"&'+<>") {
		return s
	}
	return htmlEscapes.Replace(s)
}

// textWriter is a page being written: a *bytes.Buffer or a
// *strings.Builder, whose writes do not fail.
type textWriter interface {
	io.Writer
	io.StringWriter
}

// writeEscaped writes s to w escaped as escapeHTML does, without making
// the escaped string.
func writeEscaped(w textWriter, s string) {
	if !strings.ContainsAny(s, "\x00\"&'+<>") {
		_, _ = w.WriteString(s)
		return
	}
	_, _ = htmlEscapes.WriteString(w, s)
}
