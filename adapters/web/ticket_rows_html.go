package web

import (
	"io"
	"strconv"
	"strings"
	"time"

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

// writeQueueRows writes the rows of the staff queue to b: number, title (a
// link to /admin/tickets/{id}), owner, type, status, assignee, due,
// rating, updated.
func writeQueueRows(b textWriter, lang string, rows []ticketRow, now time.Time) {
	l := namesFor(lang).rows
	s := new(rowScratch)
	for i := range rows {
		writeTicketRow(b, s, lang, now, &l, &rows[i], true)
	}
}

// rowScratch is where a row's number and times are formatted, one for
// all the rows of a list: an array whose slice is passed to a textWriter's
// Write escapes to the heap, so arrays local to writeTicketRow and
// writeMoment were three allocations a row.
type rowScratch struct{ num, iso, abs [20]byte }

// writeTicketRow writes r as a row of a list in lang with the labels l,
// its time relative to now: of the staff queue when staff, else of a
// person's list (number, title linking to /tickets/{id}, type, status,
// updated). s is the list's scratch space.
func writeTicketRow(b textWriter, s *rowScratch, lang string, now time.Time, l *rowLabels, r *ticketRow, staff bool) {
	href := "/tickets/"
	if staff {
		href = "/admin/tickets/"
	}
	id := strconv.AppendInt(s.num[:0], r.ID, 10)
	_, _ = b.WriteString("\n    <tr>\n      <td data-label=\"#\">")
	_, _ = b.Write(id)
	_, _ = b.WriteString("</td>\n      <td data-label=\"")
	_, _ = b.WriteString(l.title)
	_, _ = b.WriteString("\"><a href=\"")
	_, _ = b.WriteString(href)
	_, _ = b.Write(id)
	_, _ = b.WriteString("\">")
	writeEscaped(b, r.Title)
	_, _ = b.WriteString("</a></td>")
	if staff {
		openCell(b, l.owner)
		writeEscaped(b, r.OwnerName)
		closeCell(b)
	}
	openCell(b, l.typ)
	writeEscaped(b, r.Type)
	closeCell(b)
	openCell(b, l.status)
	_, _ = b.WriteString(`<span class="badge badge-`)
	writeEscaped(b, r.Status.Slug)
	_, _ = b.WriteString(`">`)
	writeEscaped(b, r.Status.Name)
	_, _ = b.WriteString(`</span>`)
	closeCell(b)
	if staff {
		openCell(b, l.assignee)
		if r.AssigneeName != "" {
			writeEscaped(b, r.AssigneeName)
		} else {
			writeMuted(b, l.unassigned)
		}
		closeCell(b)
		openCell(b, l.due)
		_, _ = b.WriteString(r.Due.html(*l))
		closeCell(b)
		openCell(b, l.rating)
		if r.Rating >= domain.RatingMin && r.Rating <= domain.RatingMax {
			_, _ = b.WriteString(l.ratings[r.Rating])
		} else {
			writeMuted(b, l.unrated)
		}
		closeCell(b)
	}
	openCell(b, l.updated)
	writeMoment(b, s, lang, r.UpdatedAt, now)
	closeCell(b)
	_, _ = b.WriteString("\n    </tr>")
}

// writeMoment writes t in lang as the "time" template writes its moment
// (newMoment): "3 hours ago", relative to now, with the exact time as its
// title; the two exact forms are formatted in s.
func writeMoment(b textWriter, s *rowScratch, lang string, t, now time.Time) {
	isoTime, absTime, ok := momentTimes(s, t.UTC())
	_, _ = b.WriteString(`<time datetime="`)
	writeEscapedBytes(b, isoTime)
	_, _ = b.WriteString(`" title="`)
	writeEscapedBytes(b, absTime)
	_, _ = b.WriteString(`">`)
	if ok && now.Sub(t) >= relativeDays*24*time.Hour {
		_, _ = b.Write(isoTime[:len("2006-01-02")]) // relativeTime's date, without formatting it again
	} else {
		writeEscaped(b, relativeTime(lang, t, now))
	}
	_, _ = b.WriteString(`</time>`)
}

// momentTimes formats u (in UTC) in s as time.RFC3339 and as
// absoluteTimeLayout, for a moment's datetime and title; fast is false for
// a year of other than four digits, which time's own formatting writes.
func momentTimes(s *rowScratch, u time.Time) (iso, abs []byte, fast bool) {
	if iso, abs, ok := appendMomentTimes(s.iso[:0], s.abs[:0], u); ok {
		return iso, abs, true
	}
	return u.AppendFormat(s.iso[:0], time.RFC3339), u.AppendFormat(s.abs[:0], absoluteTimeLayout), false
}

// openCell starts a <td> with its label; closeCell ends it.
func openCell(b textWriter, label string) {
	_, _ = b.WriteString("\n      <td data-label=\"")
	_, _ = b.WriteString(label)
	_, _ = b.WriteString("\">")
}

func closeCell(b textWriter) { _, _ = b.WriteString("</td>") }

// writeMuted writes the escaped text in a muted span, in three writes
// rather than one of a string joined for each row.
func writeMuted(b textWriter, escaped string) {
	_, _ = b.WriteString(`<span class="muted">`)
	_, _ = b.WriteString(escaped)
	_, _ = b.WriteString(`</span>`)
}

// htmlEscapes is html/template's escaping of text and quoted attribute
// values (its htmlReplacementTable): NUL becomes U+FFFD.
var htmlEscapes = strings.NewReplacer(
	"\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;",
)

// htmlSpecial marks the bytes htmlEscapes replaces. Looking them up is
// cheaper than strings.ContainsAny, which builds its set on every call.
var htmlSpecial = [256]bool{0: true, '"': true, '&': true, '\'': true, '+': true, '<': true, '>': true}

// needsEscape reports whether s holds a byte htmlEscapes replaces.
func needsEscape[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if htmlSpecial[s[i]] {
			return true
		}
	}
	return false
}

// escapeHTML escapes s as html/template does in text and in a quoted
// attribute value.
func escapeHTML(s string) string {
	if !needsEscape(s) {
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
	if !needsEscape(s) {
		_, _ = w.WriteString(s)
		return
	}
	_, _ = htmlEscapes.WriteString(w, s)
}

// writeEscapedBytes is writeEscaped of the text in p.
func writeEscapedBytes(w textWriter, p []byte) {
	if !needsEscape(p) {
		_, _ = w.Write(p)
		return
	}
	_, _ = htmlEscapes.WriteString(w, string(p))
}
