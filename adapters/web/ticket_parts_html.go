package web

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"crm/adapters/i18n"
	"crm/domain"
)

// The parts of a ticket page that grow with the ticket, its history, its
// comments and their files, and those it shows on every view, its facts,
// the owner's rating buttons and staff's status and assignment forms, are
// written here rather than by templates: a ticket with a dozen changes and comments made a few hundred
// template actions, each called through reflection and an escaper, and a
// CPU profile of the owner's page put 40 % of the server's CPU in
// executing its templates. Both ticket pages call them (historyHTML,
// commentsHTML, filesHTML, factsHTML, ratingButtons, staffFormsHTML:
// template_funcs.go). The markup is that of the templates they replace
// ("history", "comments", "files" and "ticket_facts" of partials.html, the
// rating form's buttons of ticket.html, the forms of staff_ticket.html) to
// the byte: the golden pages of both
// ticket pages in testdata/, made by those templates, hold it. Values are
// escaped as html/template escaped them there (escapeHTML; escapeURLAttr
// for links).

// partsKeys are the messages these parts show; construction checks that
// every language has them.
var partsKeys = []string{
	"ticket.history", "ticket.history_submitted", "ticket.history_file_deleted", "ticket.history_change",
	"ticket.history_reopened_by_reply", "ticket.history_to", "merge.history_merged_from",
	"merge.history_merged_into", "merge.ticket_link",
	"ticket.comments", "ticket.no_comments", "ticket.internal_note", "files.delete_label", "files.delete",
	"ticket.status", "ticket.type", "ticket.owner", "ticket.assignee", "ticket.unassigned", "ticket.created",
	"ticket.updated", "ticket.rating", "ticket.rating_value", "ticket.rate_button",
	"form.fix_errors", "staff_ticket.change_status", "staff_ticket.new_status", "staff_ticket.status_comment",
	"staff_ticket.status_submit", "staff_ticket.no_transitions", "staff_ticket.assign", "field.assignee",
	"staff_ticket.assign_submit", "staff_ticket.assign_me",
}

// partsText is what these parts write in one language: their fixed text,
// escaped once, and the catalogue for the messages with values.
type partsText struct {
	lang                      *i18n.Lang
	historyHead, historyArrow string
	commentsHead, noComments  string
	internal, deleteFile      string
	// factLabels are the labels of a ticket's facts: status, type, owner,
	// assignee, created, updated, rating.
	factLabels [7]string
	names      names
	// ratingButtons are the rating form's buttons with each rating
	// chosen, 0 (none) to domain.RatingMax.
	ratingButtons [domain.RatingMax + 1]template.HTML
	// The fixed text of staff's status and assignment forms, in their
	// order.
	statusHead, newStatus, statusComment, statusSubmit, noTransitions string
	assignHead, assignField, assignSubmit, assignMe                   string
}

// partsTexts are the parts' texts in every language, made once.
var partsTexts = newByLanguage(func(code string, l *i18n.Lang, msg func(string) string) *partsText {
	t := &partsText{
		lang: l,
		historyHead: "\n<section aria-labelledby=\"history-heading\">\n  <h2 id=\"history-heading\">" + msg("ticket.history") +
			"</h2>\n  <ol class=\"timeline\">\n    <li>\n      <p>",
		historyArrow: ` <span aria-hidden="true">→</span><span class="visually-hidden">` + msg("ticket.history_to") + "</span> ",
		commentsHead: "\n<section aria-labelledby=\"comments-heading\">\n  <h2 id=\"comments-heading\">" + msg("ticket.comments") + "</h2>",
		noComments:   "\n  <p class=\"empty\">" + msg("ticket.no_comments") + "</p>",
		internal:     ` <span class="badge badge-internal">` + msg("ticket.internal_note") + "</span>",
		deleteFile:   msg("files.delete"),
		names:        namesFor(code),
		statusHead: "<div class=\"columns\">\n<section aria-labelledby=\"status-heading\" class=\"box\">\n" +
			"  <h2 id=\"status-heading\">" + msg("staff_ticket.change_status") + "</h2>",
		newStatus:     "\">\n      <legend>" + msg("staff_ticket.new_status") + "</legend>",
		statusComment: "\">\n      <label for=\"status-comment\">" + msg("staff_ticket.status_comment") + "</label>",
		statusSubmit:  "\n    </div>\n    <button type=\"submit\">" + msg("staff_ticket.status_submit") + "</button>\n  </form>",
		noTransitions: "\n  <p class=\"muted\">" + msg("staff_ticket.no_transitions") + "</p>",
		assignHead: "\n</section>\n<section aria-labelledby=\"assign-heading\" class=\"box\">\n" +
			"  <h2 id=\"assign-heading\">" + msg("staff_ticket.assign") + "</h2>\n  ",
		assignField:  "\">\n      <label for=\"assignee\">" + msg("field.assignee") + "</label>\n      <select id=\"assignee\" name=\"assignee\"",
		assignSubmit: "\n    </div>\n    <button type=\"submit\">" + msg("staff_ticket.assign_submit") + "</button>\n  </form>",
		assignMe:     "\">\n    <button type=\"submit\" class=\"secondary\">" + msg("staff_ticket.assign_me") + "</button>\n  </form>",
	}
	for i, key := range []string{"ticket.status", "ticket.type", "ticket.owner", "ticket.assignee",
		"ticket.created", "ticket.updated", "ticket.rating"} {
		t.factLabels[i] = msg(key)
	}
	for chosen := range t.ratingButtons {
		t.ratingButtons[chosen] = ratingButtonsIn(l, chosen)
	}
	return t
})

// ratingChoices are the stars the owner may give, worst first.
var ratingChoices = func() []int {
	var out []int
	for n := domain.RatingMin; n <= domain.RatingMax; n++ {
		out = append(out, n)
	}
	return out
}()

// ratingButtonsIn are the rating form's buttons in l, the one of chosen
// stars pressed, as its template wrote them.
func ratingButtonsIn(l *i18n.Lang, chosen int) template.HTML {
	var b strings.Builder
	for _, n := range ratingChoices {
		class, pressed := "secondary", "false"
		if n == chosen {
			class, pressed = "chosen", "true"
		}
		label, _ := l.Format("ticket.rate_button", "stars", n) // a missing message stops construction (partsKeys)
		b.WriteString("\n    <button type=\"submit\" name=\"stars\" value=\"" + strconv.Itoa(n) + "\" class=\"" + class +
			"\" aria-pressed=\"" + pressed + "\" aria-label=\"" + escapeHTML(label) + "\"><span aria-hidden=\"true\">" +
			escapeHTML(ratingStars(n)) + "</span></button>")
	}
	return template.HTML(b.String()) //nolint:gosec // every value escaped
}

// partsWriter writes the parts of one page: in one language, its times
// relative to now.
type partsWriter struct {
	b       strings.Builder
	text    *partsText
	lang    string
	now     time.Time
	scratch rowScratch
	err     error // the first message that could not be filled
}

func newPartsWriter(lang string, now time.Time) *partsWriter {
	return &partsWriter{text: partsTexts.in(lang), lang: lang, now: now}
}

// html returns what was written, or the first error.
func (w *partsWriter) html() (template.HTML, error) {
	if w.err != nil {
		return "", w.err
	}
	return template.HTML(w.b.String()), nil //nolint:gosec // every value written is escaped
}

func (w *partsWriter) str(ss ...string) { writeStrings(&w.b, ss...) }

// message writes the message key with its values, escaped.
func (w *partsWriter) message(key string, args ...any) {
	s, err := w.text.lang.Format(key, args...)
	if err != nil && w.err == nil {
		w.err = err
	}
	writeEscaped(&w.b, s)
}

func (w *partsWriter) id(id int64) { w.b.Write(strconv.AppendInt(w.scratch.num[:0], id, 10)) }

func (w *partsWriter) moment(t time.Time) { writeMoment(&w.b, &w.scratch, w.lang, t, w.now) }

// history writes v as the "history" template did: the submission, then
// each status change and deleted file, oldest first.
func (w *partsWriter) history(v historyView) {
	w.str(w.text.historyHead)
	w.message("ticket.history_submitted", "name", v.Ticket.OwnerName())
	w.str(" · ")
	w.moment(v.Ticket.CreatedAt())
	w.str("</p>\n    </li>")
	for _, e := range v.Entries {
		if d := e.Deleted; d != nil {
			w.str("\n    <li>\n      <p>")
			w.message("ticket.history_file_deleted", "name", d.ByName, "file", d.Attachment.Name)
			w.str(" · ")
			w.moment(d.At)
			w.str("</p>\n    </li>")
		}
		if c := e.Change; c != nil {
			w.change(c)
		}
	}
	w.str("\n  </ol>\n</section>")
}

// change writes one status change of the history.
func (w *partsWriter) change(c *domain.StatusChange) {
	w.str("\n    <li data-history-entry=\"")
	w.id(c.ID)
	w.str(`"`)
	if c.ByReply {
		w.str(" data-reopened-by-reply")
	}
	if c.MergedInto != 0 {
		w.str(` data-merged-into="`)
		w.id(c.MergedInto)
		w.str(`"`)
	}
	if c.MergedFrom != 0 {
		w.str(` data-merged-from="`)
		w.id(c.MergedFrom)
		w.str(`"`)
	}
	w.str(">")
	if c.MergedFrom != 0 {
		w.str("\n      <p>")
		w.message("merge.history_merged_from", "name", c.ByName)
		w.ticketLink(c.MergedFrom)
		w.str(" · ")
		w.moment(c.At)
		w.str("</p>")
	} else {
		w.str("\n      <p>\n        ")
		switch {
		case c.MergedInto != 0:
			w.message("merge.history_merged_into", "name", c.ByName)
			w.ticketLink(c.MergedInto)
			w.str(".\n        ")
		case c.ByReply:
			w.message("ticket.history_reopened_by_reply", "name", c.ByName)
		default:
			w.message("ticket.history_change", "name", c.ByName)
		}
		w.str("\n        ", string(w.text.names.badges[c.From]), w.text.historyArrow, string(w.text.names.badges[c.To]), "\n        · ")
		w.moment(c.At)
		w.str("\n      </p>")
	}
	if c.Comment != "" {
		w.str("\n      <blockquote class=\"text\">")
		writeEscaped(&w.b, c.Comment)
		w.str("</blockquote>")
	}
	w.str("\n    </li>")
}

// ticketLink writes " <a href="/tickets/id">#id</a>".
func (w *partsWriter) ticketLink(id int64) {
	w.str(` <a href="/tickets/`)
	w.id(id)
	w.str(`">`)
	w.message("merge.ticket_link", "id", id)
	w.str("</a>")
}

// comments writes t as the "comments" template did: each comment with its
// author, time and files, or that there is none.
func (w *partsWriter) comments(t thread) {
	w.str(w.text.commentsHead)
	if len(t.Comments) == 0 {
		w.str(w.text.noComments, "\n</section>")
		return
	}
	w.str("\n  <ol class=\"comments\">")
	for _, c := range t.Comments {
		w.str("\n    <li class=\"comment")
		if c.Internal {
			w.str(" internal")
		}
		w.str("\">\n      <p class=\"meta\">\n        <strong>")
		writeEscaped(&w.b, c.AuthorName)
		w.str("</strong> · ")
		w.moment(c.At)
		if c.Internal {
			w.str(w.text.internal)
		}
		w.str("\n      </p>")
		if c.Text != "" {
			w.str("\n      <div class=\"text\">")
			writeEscaped(&w.b, c.Text)
			w.str("</div>")
		}
		w.files(t.Files.Of(c.ID))
		w.str("\n    </li>")
	}
	w.str("\n  </ol>\n</section>")
}

// files writes f as the "files" template did: nothing without files, else
// each with its thumbnail, name, size and type, and for staff the button
// that deletes it.
func (w *partsWriter) files(f fileList) {
	if len(f.Files) == 0 {
		return
	}
	w.str("\n<ul class=\"files\">")
	for _, fv := range f.Files {
		w.str("\n  <li class=\"file\">")
		if fv.ThumbURL != "" {
			w.str("\n    <a href=\"", escapeURLAttr(fv.URL), "\" class=\"thumb\"><img src=\"", escapeURLAttr(fv.ThumbURL), "\" alt=\"")
			writeEscaped(&w.b, fv.Name)
			w.str("\" loading=\"lazy\"></a>")
		}
		w.str("\n    <a href=\"", escapeURLAttr(fv.URL), "\" class=\"file-name\">")
		writeEscaped(&w.b, fv.Name)
		w.str("</a> <span class=\"muted\">")
		writeEscaped(&w.b, fv.Size)
		w.str(" · ")
		writeEscaped(&w.b, fv.Type)
		w.str("</span>")
		if f.CanDelete {
			w.str("\n    <form method=\"post\" action=\"/admin/attachments/")
			w.id(fv.ID)
			w.str("/delete\" class=\"inline\">\n      <input type=\"hidden\" name=\"ticket\" value=\"")
			w.id(f.TicketID)
			w.str("\">\n      <button type=\"submit\" class=\"secondary small\" aria-label=\"")
			w.message("files.delete_label", "name", fv.Name)
			w.str("\">", w.text.deleteFile, "</button>\n    </form>")
		}
		w.str("\n  </li>")
	}
	w.str("\n</ul>")
}

// facts writes t's facts as the "ticket_facts" template did: status, type,
// owner, assignee, when it was submitted and updated, and its rating.
func (w *partsWriter) facts(t *domain.Ticket) {
	l := &w.text.factLabels
	w.str("\n<dl class=\"facts\">\n  <div><dt>", l[0], "</dt><dd>", string(w.text.names.badges[t.Status()]))
	w.nextFact(l[1])
	writeEscaped(&w.b, w.text.names.types[t.Type()])
	w.nextFact(l[2])
	writeEscaped(&w.b, t.OwnerName())
	w.nextFact(l[3])
	if t.AssigneeName() != "" {
		writeEscaped(&w.b, t.AssigneeName())
	} else {
		writeMuted(&w.b, w.text.names.rows.unassigned)
	}
	w.nextFact(l[4])
	w.moment(t.CreatedAt())
	w.nextFact(l[5])
	w.moment(t.UpdatedAt())
	if r := t.Rating(); r > 0 && r <= domain.RatingMax {
		w.nextFact(l[6])
		w.str(w.text.names.rows.ratings[r])
	}
	w.str("</dd></div>\n</dl>")
}

// nextFact closes the fact before and opens the next, with its label.
func (w *partsWriter) nextFact(label string) { w.str("</dd></div>\n  <div><dt>", label, "</dt><dd>") }

// staffForms writes p's status and assignment forms as staff_ticket.html
// did: the statuses the ticket may move to (the one typed, or the first,
// chosen) with a comment for the owner, or that there is none; the staff
// to assign it to, and "assign to me" unless it is the reader's. Each
// with what was refused, if anything.
func (w *partsWriter) staffForms(p *staffTicketPage) {
	tx, t := w.text, p.View.Ticket
	w.str(tx.statusHead)
	if len(p.View.Next) == 0 {
		w.str(tx.noTransitions)
	} else {
		sf := p.StatusForm
		w.str("\n  ")
		sf.writeSummary(&w.b, w.lang)
		w.staffForm(t.ID(), "status")
		w.str("\" novalidate>\n    <fieldset class=\"field")
		sf.writeHasError(&w.b, "status")
		w.str(tx.newStatus)
		chosen := sf.Get("status")
		for i, s := range p.View.Next {
			w.str("\n      <label class=\"choice\"><input type=\"radio\" name=\"status\" value=\"", s.String(), `"`)
			if s.String() == chosen || chosen == "" && i == 0 {
				w.str(" checked")
			}
			w.str("> ")
			writeEscaped(&w.b, tx.names.statuses[s])
			w.str("</label>")
		}
		sf.writeFieldError(&w.b, "status", "")
		w.str("\n    </fieldset>\n    <div class=\"field")
		sf.writeHasError(&w.b, "comment")
		w.str(tx.statusComment, "\n      <textarea id=\"status-comment\" name=\"comment\" rows=\"3\" maxlength=\"5000\"")
		if sf.Error("comment") != "" {
			w.str(` aria-invalid="true" aria-describedby="status-comment-error"`)
		}
		w.str(">")
		writeEscaped(&w.b, sf.Get("comment"))
		w.str("</textarea>")
		sf.writeFieldError(&w.b, "comment", "status-comment-error")
		w.str(tx.statusSubmit)
	}
	af := p.AssignForm
	w.str(tx.assignHead)
	af.writeSummary(&w.b, w.lang)
	w.staffForm(t.ID(), "assign")
	w.str("\">\n    <div class=\"field")
	af.writeHasError(&w.b, "assignee")
	w.str(tx.assignField)
	if af.Error("assignee") != "" {
		w.str(` aria-invalid="true" aria-describedby="assignee-error"`)
	}
	w.str(">\n        <option value=\"\">", tx.names.rows.unassigned, "</option>")
	for _, u := range p.Staff {
		w.str("\n        <option value=\"")
		w.id(u.ID())
		w.str(`"`)
		if u.ID() == t.AssigneeID() {
			w.str(" selected")
		}
		w.str(">")
		writeEscaped(&w.b, u.Username())
		w.str(" (")
		writeEscaped(&w.b, tx.names.roles[u.Role()])
		w.str(")</option>")
	}
	w.str("\n      </select>")
	af.writeFieldError(&w.b, "assignee", "assignee-error")
	w.str(tx.assignSubmit)
	if t.AssigneeID() != p.User.ID() {
		w.staffForm(t.ID(), "assign")
		w.str("\" class=\"inline\">\n    <input type=\"hidden\" name=\"assignee\" value=\"")
		w.id(p.User.ID())
		w.str(tx.assignMe)
	}
	w.str("\n</section>\n</div>")
}

// staffForm opens a form that posts to the ticket id's staff action
// (/admin/tickets/{id}/{action}), up to the end of its address.
func (w *partsWriter) staffForm(id int64, action string) {
	w.str("\n  <form method=\"post\" action=\"/admin/tickets/")
	w.id(id)
	w.str("/", action)
}
