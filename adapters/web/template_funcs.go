package web

import (
	"html/template"
	"strings"
	"time"

	"crm/adapters/i18n"
	"crm/domain"
)

// funcs are the template functions in lang. Calls of t with a constant key
// and nothing else do not reach t: bindMessages puts the message in their
// place. What a list shows per row is better computed in Go, into the row
// of its view (ticketRow), than by a function called from the template.
func (h *Handler) funcs(lang string) template.FuncMap {
	l, ok := i18n.For(lang)
	if !ok {
		l, _ = i18n.For(i18n.DefaultLanguage)
	}
	names := namesFor(lang)
	// part is what write writes of a ticket page, in lang, its times
	// relative to now.
	part := func(write func(w *partsWriter)) (template.HTML, error) {
		w := newPartsWriter(lang, h.clock.Now())
		write(w)
		return w.html()
	}
	return template.FuncMap{
		// t is the message key, placeholders filled from name/value pairs.
		"t": func(key string, args ...any) (string, error) { return l.Format(key, args...) },
		// tn is the plural group key for n.
		"tn": func(key string, n int, args ...any) (string, error) {
			return l.FormatPlural(key, n, args...)
		},
		// timeTag is a time as a <time> element, "3 hours ago" with the
		// exact time as its title: written here, not by a template
		// ("time"), since a ticket's page shows one per change and comment.
		"timeTag": func(t time.Time) template.HTML { return newMoment(lang, t, h.clock.Now()).html() },
		// historyHTML, commentsHTML, filesHTML, factsHTML and
		// staffFormsHTML write the parts of a ticket page that grow with
		// the ticket or show on every view (ticket_parts_html.go).
		"historyHTML":    func(v historyView) (template.HTML, error) { return part(func(w *partsWriter) { w.history(v) }) },
		"commentsHTML":   func(t thread) (template.HTML, error) { return part(func(w *partsWriter) { w.comments(t) }) },
		"filesHTML":      func(f fileList) (template.HTML, error) { return part(func(w *partsWriter) { w.files(f) }) },
		"factsHTML":      func(t *domain.Ticket) (template.HTML, error) { return part(func(w *partsWriter) { w.facts(t) }) },
		"staffFormsHTML": func(p *staffTicketPage) (template.HTML, error) { return part(func(w *partsWriter) { w.staffForms(p) }) },
		// ratingButtons are the owner's rating form's buttons, the one of
		// chosen stars pressed: made once per language.
		"ratingButtons": func(chosen int) template.HTML {
			return partsTexts.in(lang).ratingButtons[max(0, min(chosen, domain.RatingMax))]
		},
		"abstime": absoluteTime,
		// targets describes a ticket's response targets now.
		"targets": func(t *domain.Ticket) targetsView { return newTargetsView(lang, t, h.clock.Now()) },
		"isotime": isoTime,
		// statusBadge is a status as a badge, its name in its colour.
		"statusBadge":  func(s domain.Status) template.HTML { return names.badges[s] },
		"statusName":   func(s domain.Status) string { return names.statuses[s] },
		"typeName":     func(t domain.TicketType) string { return names.types[t] },
		"roleName":     func(r domain.Role) string { return names.roles[r] },
		"languageName": func(code string) string { return names.languages[code] },
		// languageOptions are the footer's choices, lang selected; a
		// constant of the page (bindMessages).
		"languageOptions": func() template.HTML { return names.options },
		"asset":           func(name string) string { return h.static.url(name) },
		// stars draws a rating, "★★★★☆" for 4.
		"stars":     ratingStars,
		"languages": i18n.Languages,
		"statuses":  domain.Statuses,
		"types":     domain.TicketTypes,
		"roles":     domain.Roles,
	}
}

// names are the words of one language for the closed sets of the domain,
// looked up once.
type names struct {
	statuses  map[domain.Status]string
	types     map[domain.TicketType]string
	roles     map[domain.Role]string
	languages map[string]string
	// options are the <option>s of the language form, this one selected.
	options template.HTML
	// badges are the statuses as statusBadge shows them.
	badges map[domain.Status]template.HTML
	// rows are the cell labels of the ticket lists (ticket_rows_html.go).
	rows rowLabels
}

// namesByLang are the names in every language, looked up once.
var namesByLang = func() map[string]names {
	m := map[string]names{}
	for _, lang := range i18n.Languages() {
		m[lang] = namesIn(lang)
	}
	return m
}()

// namesFor returns the names in lang, or in the default language when lang
// is not one.
func namesFor(lang string) names {
	if n, ok := namesByLang[lang]; ok {
		return n
	}
	return namesByLang[i18n.DefaultLanguage]
}

// namesIn looks the names up in lang, one of i18n.Languages. A missing
// one is the key, as i18n.Message shows it; parseViews has refused to
// start by then.
func namesIn(lang string) names {
	msg := func(key string, args ...any) string { return i18n.Message(lang, key, args...) }
	n := names{
		statuses: map[domain.Status]string{}, types: map[domain.TicketType]string{},
		roles: map[domain.Role]string{}, languages: map[string]string{},
		rows: labelsIn(msg),
	}
	n.badges = map[domain.Status]template.HTML{}
	for _, s := range domain.Statuses() {
		n.statuses[s] = msg("status." + s.String())
		n.badges[s] = template.HTML(`<span class="badge badge-` + escapeHTML(s.String()) + `">` + //nolint:gosec // escaped
			escapeHTML(n.statuses[s]) + `</span>`)
	}
	for _, t := range domain.TicketTypes() {
		n.types[t] = msg("type." + t.String())
	}
	for _, r := range domain.Roles() {
		n.roles[r] = msg("role." + r.String())
	}
	var opts strings.Builder
	for _, code := range i18n.Languages() {
		n.languages[code] = msg("language." + code)
		opts.WriteString("\n        <option value=\"" + escapeHTML(code) + "\"")
		if code == lang {
			opts.WriteString(" selected")
		}
		opts.WriteString(">" + escapeHTML(n.languages[code]) + "</option>")
	}
	n.options = template.HTML(opts.String()) //nolint:gosec // both values escaped
	return n
}

// badge is a status as the "status" template shows it.
type badge struct {
	Slug string // the CSS class suffix, "in_progress"
	Name string // "In progress"
}

func (n names) badge(s domain.Status) badge { return badge{Slug: s.String(), Name: n.statuses[s]} }

// moment is a time as the "time" template shows it.
type moment struct {
	ISO   string // for the datetime attribute
	Exact string // for the title, "2026-03-01 11:59 UTC"
	Ago   string // "3 hours ago"
}

func newMoment(lang string, t, now time.Time) moment {
	var s rowScratch
	iso, abs, _ := momentTimes(&s, t.UTC())
	return moment{ISO: string(iso), Exact: string(abs), Ago: relativeTime(lang, t, now)}
}

// isoTime is t in UTC as time.RFC3339 (the "isotime" template function).
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// html is m as a <time> element, as the "time" template writes it.
func (m moment) html() template.HTML {
	return template.HTML(`<time datetime="` + escapeHTML(m.ISO) + `" title="` + escapeHTML(m.Exact) + `">` + //nolint:gosec // escaped
		escapeHTML(m.Ago) + `</time>`)
}
