package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
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
	"home", "register", "login", "my_tickets", "new_ticket", "ticket", "account",
	"queue", "staff_ticket", "users", "audit", "problem", "deliveries",
}

// pageParts are the sections of a page kept in files of their own,
// templates/<part>.html, parsed with it: each defines a template of the
// part's name that the page calls.
var pageParts = map[string][]string{
	"account": {"account_telegram"},
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
			v.pages[lang][name] = c.Funcs(funcs(lang))
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

// funcs are the template functions in lang.
func (h *Handler) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		// t is the message key, placeholders filled from name/value pairs.
		"t": func(key string, args ...any) (string, error) { return i18n.Format(lang, key, args...) },
		// tn is the plural group key for n.
		"tn": func(key string, n int, args ...any) (string, error) {
			return i18n.FormatPlural(lang, key, n, args...)
		},
		"ago":       func(t time.Time) string { return relativeTime(lang, t, h.clock.Now()) },
		"abstime":   absoluteTime,
		"isotime":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"asset":     func(name string) string { return h.static.url(name) },
		"languages": i18n.Languages,
		"statuses":  func() []domain.Status { return domain.Statuses },
		"types":     func() []domain.TicketType { return domain.TicketTypes },
		"roles":     func() []domain.Role { return domain.Roles },
	}
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
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if hadFlash {
		h.clearCookie(w, flashCookie)
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Language", v.Lang)
	hd.Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	if h.onRender != nil {
		h.onRender(v.Lang, name)
	}
	return nil
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
