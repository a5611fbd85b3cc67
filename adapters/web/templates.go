package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
	"time"

	"crm/adapters/i18n"
	"crm/domain"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageNames are the page templates, templates/<name>.html. Each defines
// "title" and "content" for the layout.
var pageNames = []string{
	"two_factor", "login_code",
	"home", "register", "login", "my_tickets", "new_ticket", "ticket", "account",
	"queue", "staff_ticket", "users", "audit", "problem", "deliveries", "password_reset",
}

// pageParts are the sections of a page kept in files of their own,
// templates/<part>.html, parsed with it: each defines a template of the
// part's name that the page calls.
var pageParts = map[string][]string{
	"account": {"account_telegram", "account_password", "account_sessions", "account_tokens"},

	// The steps of an enrolment and the code field.
	"two_factor": {"two_factor_enrol"},
	"login_code": {"two_factor_enrol"},
}

// views are the parsed page templates, by language and page. Each language
// has its own copy so that the t function speaks it.
type views struct {
	pages map[string]map[string]*template.Template
}

// parseViews parses layout.html, partials.html and every page once, checks
// that every message key the templates name exists in every language, and
// binds a copy per language to funcs(lang).
func parseViews(fsys fs.FS, funcs func(lang string) template.FuncMap) (*views, error) {
	base, err := template.New("layout.html").Funcs(funcs(i18n.DefaultLanguage)).
		ParseFS(fsys, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	v := &views{pages: map[string]map[string]*template.Template{}}
	keys := map[string]bool{}
	for _, name := range pageNames {
		set, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone layout: %w", err)
		}
		if set, err = set.ParseFS(fsys, "templates/"+name+".html"); err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		for _, part := range pageParts[name] {
			if set, err = set.ParseFS(fsys, "templates/"+part+".html"); err != nil {
				return nil, fmt.Errorf("parse part %s of page %s: %w", part, name, err)
			}
		}
		for _, want := range append([]string{"layout", "title", "content"}, pageParts[name]...) {
			if set.Lookup(want) == nil {
				return nil, fmt.Errorf("page %s: no template %q", name, want)
			}
		}
		for _, t := range set.Templates() {
			if t.Tree != nil {
				collectKeys(t.Tree.Root, keys)
			}
		}
		for _, lang := range i18n.Languages() {
			c, err := set.Clone()
			if err != nil {
				return nil, fmt.Errorf("clone page %s: %w", name, err)
			}
			if v.pages[lang] == nil {
				v.pages[lang] = map[string]*template.Template{}
			}
			c.Funcs(funcs(lang))
			if err := bindMessages(c, lang); err != nil {
				return nil, fmt.Errorf("page %s in %s: %w", name, lang, err)
			}
			v.pages[lang][name] = c
		}
	}
	for _, k := range dynamicKeys() {
		keys[k] = true
	}
	for k := range keys {
		for _, lang := range i18n.Languages() {
			if !i18n.Has(lang, k) {
				return nil, fmt.Errorf("message %q is used but missing in %q", k, lang)
			}
		}
	}
	return v, nil
}

// dynamicKeys are the keys templates and handlers build at run time, so
// that the construction check covers them too.
func dynamicKeys() []string {
	var keys []string
	for _, s := range domain.Statuses {
		keys = append(keys, "status."+s.String())
	}
	for _, t := range domain.TicketTypes {
		keys = append(keys, "type."+t.String())
	}
	for _, r := range domain.Roles {
		keys = append(keys, "role."+r.String())
	}
	for _, l := range i18n.Languages() {
		keys = append(keys, "language."+l)
	}
	for _, p := range allProblems() {
		keys = append(keys, p.Key+".title", p.Key+".text")
	}
	for _, s := range deliveryStatuses {
		keys = append(keys, "delivery_status."+string(s))
	}
	for _, k := range eventKinds {
		keys = append(keys, "event."+k)
	}
	for k := range flashKeys {
		keys = append(keys, "flash."+k)
	}
	return append(keys, "error.invalid")
}

// collectKeys adds the constant keys passed to t and tn under node.
func collectKeys(node parse.Node, keys map[string]bool) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			collectKeys(c, keys)
		}
	case *parse.ActionNode:
		collectKeys(n.Pipe, keys)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			collectKeys(c, keys)
		}
	case *parse.CommandNode:
		if len(n.Args) >= 2 {
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok && (id.Ident == "t" || id.Ident == "tn") {
				if s, ok := n.Args[1].(*parse.StringNode); ok {
					keys[s.Text] = true
				}
			}
		}
		for _, a := range n.Args {
			collectKeys(a, keys)
		}
	case *parse.IfNode:
		collectBranch(&n.BranchNode, keys)
	case *parse.RangeNode:
		collectBranch(&n.BranchNode, keys)
	case *parse.WithNode:
		collectBranch(&n.BranchNode, keys)
	case *parse.TemplateNode:
		collectKeys(n.Pipe, keys)
	}
}

func collectBranch(b *parse.BranchNode, keys map[string]bool) {
	collectKeys(b.Pipe, keys)
	collectKeys(b.List, keys)
	collectKeys(b.ElseList, keys)
}

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
	return template.FuncMap{
		// t is the message key, placeholders filled from name/value pairs.
		"t": func(key string, args ...any) (string, error) { return l.Format(key, args...) },
		// tn is the plural group key for n.
		"tn": func(key string, n int, args ...any) (string, error) {
			return l.FormatPlural(key, n, args...)
		},
		// moment is a time for the "time" template.
		"moment":  func(t time.Time) moment { return newMoment(lang, t, h.clock.Now()) },
		"abstime": absoluteTime,
		"isotime": isoTime,
		// badge is a status for the "status" template.
		"badge":        names.badge,
		"statusName":   func(s domain.Status) string { return names.statuses[s] },
		"typeName":     func(t domain.TicketType) string { return names.types[t] },
		"roleName":     func(r domain.Role) string { return names.roles[r] },
		"languageName": func(code string) string { return names.languages[code] },
		"asset":        func(name string) string { return h.static.url(name) },
		"languages":    i18n.Languages,
		"statuses":     func() []domain.Status { return domain.Statuses },
		"types":        func() []domain.TicketType { return domain.TicketTypes },
		"roles":        func() []domain.Role { return domain.Roles },
	}
}

// names are the words of one language for the closed sets of the domain,
// looked up once.
type names struct {
	statuses  map[domain.Status]string
	types     map[domain.TicketType]string
	roles     map[domain.Role]string
	languages map[string]string
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
	msg := func(key string) string { return i18n.Message(lang, key) }
	n := names{
		statuses: map[domain.Status]string{}, types: map[domain.TicketType]string{},
		roles: map[domain.Role]string{}, languages: map[string]string{},
		rows: labelsIn(msg),
	}
	for _, s := range domain.Statuses {
		n.statuses[s] = msg("status." + s.String())
	}
	for _, t := range domain.TicketTypes {
		n.types[t] = msg("type." + t.String())
	}
	for _, r := range domain.Roles {
		n.roles[r] = msg("role." + r.String())
	}
	for _, code := range i18n.Languages() {
		n.languages[code] = msg("language." + code)
	}
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
	return moment{ISO: isoTime(t), Exact: absoluteTime(t), Ago: relativeTime(lang, t, now)}
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// bindMessages fixes the messages of set, a page in lang, that do not
// change between requests. {{t "key"}} becomes the message itself, and
// once html/template has escaped the page, a message that stands alone in
// HTML text or a quoted attribute becomes plain text, escaped once here,
// as html/template would have escaped it on every request. Errors: the
// page cannot be escaped (an ambiguous context), which would otherwise
// fail its first request.
func bindMessages(set *template.Template, lang string) error {
	l, ok := i18n.For(lang)
	if !ok {
		return fmt.Errorf("no catalogue for %q", lang)
	}
	for _, t := range set.Templates() {
		if t.Tree != nil {
			foldMessages(t.Tree.Root, l)
		}
	}
	// Executing escapes the page; the first write stops the execution
	// before any data is read.
	if err := set.ExecuteTemplate(stopWriter{}, "layout", nil); !errors.Is(err, errStopped) {
		return fmt.Errorf("escape: %w", err)
	}
	for _, t := range set.Templates() {
		if t.Tree != nil {
			if err := freezeMessages(t.Tree.Root); err != nil {
				return err
			}
		}
	}
	return nil
}

var errStopped = errors.New("stopped")

// stopWriter fails every write.
type stopWriter struct{}

func (stopWriter) Write([]byte) (int, error) { return 0, errStopped }

// foldMessages replaces each command `t "key"` under node with the string
// constant of the message.
func foldMessages(node parse.Node, l *i18n.Lang) {
	walkCommands(node, func(c *parse.CommandNode) {
		if len(c.Args) != 2 {
			return
		}
		id, ok := c.Args[0].(*parse.IdentifierNode)
		key, ok2 := c.Args[1].(*parse.StringNode)
		if !ok || !ok2 || id.Ident != "t" {
			return
		}
		msg, err := l.Format(key.Text)
		if err != nil {
			return // left to fail as it always did
		}
		key.Text, key.Quoted = msg, strconv.Quote(msg)
		c.Args = c.Args[1:]
	})
}

// textEscapers are the escapers html/template puts after a value in HTML
// text, a quoted attribute and RCDATA (<title>): for a string, each
// escapes it as html/template's htmlEscaper does.
var textEscapers = map[string]bool{
	"_html_template_htmlescaper":   true,
	"_html_template_attrescaper":   true,
	"_html_template_rcdataescaper": true,
}

// freezeMessages replaces each action under node that prints a string
// constant through one of textEscapers with the escaped text.
func freezeMessages(node parse.Node) error {
	list, ok := node.(*parse.ListNode)
	if !ok || list == nil {
		return walkBranches(node, freezeMessages)
	}
	for i, n := range list.Nodes {
		a, ok := n.(*parse.ActionNode)
		if !ok {
			if err := walkBranches(n, freezeMessages); err != nil {
				return err
			}
			continue
		}
		s, ok := escapedConstant(a.Pipe)
		if !ok {
			continue
		}
		var b strings.Builder
		if err := escapeText.Execute(&b, s); err != nil {
			return fmt.Errorf("escape %q: %w", s, err)
		}
		list.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: a.Pos, Text: []byte(b.String())}
	}
	return nil
}

// escapeText escapes a string as html/template does in HTML text.
var escapeText = template.Must(template.New("").Parse(`{{.}}`))

// escapedConstant returns s when pipe is `"s" | escaper` with one of
// textEscapers and no variable.
func escapedConstant(pipe *parse.PipeNode) (string, bool) {
	if pipe == nil || len(pipe.Decl) > 0 || len(pipe.Cmds) != 2 ||
		len(pipe.Cmds[0].Args) != 1 || len(pipe.Cmds[1].Args) != 1 {
		return "", false
	}
	s, ok := pipe.Cmds[0].Args[0].(*parse.StringNode)
	if !ok {
		return "", false
	}
	esc, ok := pipe.Cmds[1].Args[0].(*parse.IdentifierNode)
	if !ok || !textEscapers[esc.Ident] {
		return "", false
	}
	return s.Text, true
}

// walkCommands calls f on every command under node.
func walkCommands(node parse.Node, f func(*parse.CommandNode)) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkCommands(c, f)
		}
	case *parse.ActionNode:
		walkCommands(n.Pipe, f)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walkCommands(c, f)
		}
	case *parse.CommandNode:
		f(n)
		for _, a := range n.Args {
			walkCommands(a, f)
		}
	case *parse.IfNode:
		walkCommandsIn(&n.BranchNode, f)
	case *parse.RangeNode:
		walkCommandsIn(&n.BranchNode, f)
	case *parse.WithNode:
		walkCommandsIn(&n.BranchNode, f)
	case *parse.TemplateNode:
		walkCommands(n.Pipe, f)
	}
}

func walkCommandsIn(b *parse.BranchNode, f func(*parse.CommandNode)) {
	walkCommands(b.Pipe, f)
	walkCommands(b.List, f)
	walkCommands(b.ElseList, f)
}

// walkBranches calls f on the lists of node when it is an if, range or
// with.
func walkBranches(node parse.Node, f func(parse.Node) error) error {
	var b *parse.BranchNode
	switch n := node.(type) {
	case *parse.IfNode:
		b = &n.BranchNode
	case *parse.RangeNode:
		b = &n.BranchNode
	case *parse.WithNode:
		b = &n.BranchNode
	default:
		return nil
	}
	if b.List != nil {
		if err := f(b.List); err != nil {
			return err
		}
	}
	if b.ElseList != nil {
		return f(b.ElseList)
	}
	return nil
}

// view is the data of a page: a struct embedding layout.
type view interface{ base() *layout }

// layout is what every page shows around its content.
type layout struct {
	Lang      string
	User      *domain.User
	Flash     string // a message after an action, "Ticket #12 submitted"
	Alert     string // a message about this answer, "This ticket is closed"
	Here      string // where the language form comes back to
	Section   string // the nav entry to mark current
	RequestID string
}

func (l *layout) base() *layout { return l }

// render answers with the page name and status. It fills the layout, takes
// the flash message, and writes nothing if the template fails.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, v *visitor, status int, name string, data view) error {
	t := h.views.pages[v.Lang][name]
	if t == nil {
		return fmt.Errorf("render: no page %q in %q", name, v.Lang)
	}
	b := data.base()
	b.Lang, b.User, b.RequestID = v.Lang, v.User, requestID(r.Context())
	if b.Here == "" {
		b.Here = "/"
		if r.Method == http.MethodGet {
			b.Here = r.URL.RequestURI()
		}
	}
	flash, hadFlash := h.takeFlash(r, v.Lang)
	if b.Flash == "" {
		b.Flash = flash
	}
	buf := getBuffer()
	defer putBuffer(buf)
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if hadFlash {
		h.clearCookie(w, flashCookie)
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Language", v.Lang)
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	hd.Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	if h.onRender != nil {
		h.onRender(v.Lang, name)
	}
	return nil
}

// maxPooledBuffer is the largest page buffer kept for reuse: a rare huge
// page does not keep its memory after it is sent.
const maxPooledBuffer = 256 << 10

// buffers are page buffers for reuse, so that a page is not grown from
// nothing on every request.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

// putBuffer returns b to the pool unless it grew beyond maxPooledBuffer.
func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	buffers.Put(b)
}

// problemPage is the data of the error page.
type problemPage struct {
	layout
	Status int
	Key    string
}

// showProblem renders the error page for p. If even that fails, it writes
// plain text.
func (h *Handler) showProblem(w http.ResponseWriter, r *http.Request, v *visitor, p problem) {
	setRetryAfter(w, p)
	if isAPIRequest(r) { // no route, a too-large body, a panic: the API answers problem+json
		h.writeProblem(w, r, p, "", nil)
		return
	}
	if v == nil || v.Lang == "" {
		v = &visitor{Lang: h.language(r, nil)}
	}
	err := h.render(w, r, v, p.Status, "problem", &problemPage{Status: p.Status, Key: p.Key})
	if err != nil {
		h.log.ErrorContext(r.Context(), "render error page",
			slog.String("request_id", requestID(r.Context())), slog.Any("error", err))
		http.Error(w, http.StatusText(p.Status), p.Status)
	}
}
