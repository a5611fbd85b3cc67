package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"text/template/parse"

	"crm/adapters/i18n"
	"crm/domain"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageNames are the page templates, templates/<name>.html. Each defines
// "title" and "content" for the layout. A person's list and the staff
// queue, written in Go (my_tickets_html.go, queue_html.go), have none.
var pageNames = []string{
	"two_factor", "login_code",
	"home", "register", "login", "new_ticket", "ticket", "account",
	"staff_ticket", "users", "audit", "problem", "deliveries", "password_reset",
	"replies", "reply_edit", "reports", "sla",
}

// pageParts are the sections of a page kept in files of their own,
// templates/<part>.html, parsed with it: each defines a template of the
// part's name that the page calls.
var pageParts = map[string][]string{
	"account": {"account_telegram", "account_password", "account_sessions", "account_tokens"},

	// Merging a duplicate into another ticket, the saved replies beside
	// the comment box, and the response targets of a ticket.
	"ticket":       {"ticket_targets"},
	"staff_ticket": {"merge_form", "reply_picker", "ticket_targets"},

	// The steps of an enrolment and the code field.
	"two_factor": {"two_factor_enrol"},
	"login_code": {"two_factor_enrol"},

	// The fields of a saved reply, new or edited.
	"replies":    {"reply_fields"},
	"reply_edit": {"reply_fields"},
}

// views are the parsed page templates, by language and page, and the
// layout around them (layout_html.go), by language. Each language has its
// own copy so that the t function speaks it.
type views struct {
	pages   map[string]map[string]*template.Template
	layouts map[string]*layoutText
}

// parseViews parses partials.html and every page once, checks that every
// message key the templates and the layout name exists in every language,
// and binds a copy per language to funcs(lang).
func parseViews(fsys fs.FS, funcs func(lang string) template.FuncMap) (*views, error) {
	base, err := template.New("partials.html").Funcs(funcs(i18n.DefaultLanguage)).
		ParseFS(fsys, "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("parse partials: %w", err)
	}
	v := &views{pages: map[string]map[string]*template.Template{}, layouts: map[string]*layoutText{}}
	keys := map[string]bool{}
	for _, k := range slices.Concat(layoutKeys, myTicketsKeys, queueKeys, partsKeys) {
		keys[k] = true
	}
	for _, lang := range i18n.Languages() {
		fm := funcs(lang)
		asset, _ := fm["asset"].(func(string) string)
		options, _ := fm["languageOptions"].(func() template.HTML)
		if asset == nil || options == nil {
			return nil, fmt.Errorf("layout in %s: no asset or languageOptions function", lang)
		}
		if v.layouts[lang], err = newLayoutText(lang, asset, string(options())); err != nil {
			return nil, fmt.Errorf("layout in %s: %w", lang, err)
		}
	}
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
		for _, want := range append([]string{"title", "content"}, pageParts[name]...) {
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
			fm := funcs(lang)
			c.Funcs(fm)
			if err := bindMessages(c, lang, fm); err != nil {
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
	for _, s := range domain.Statuses() {
		keys = append(keys, "status."+s.String())
	}
	for _, t := range domain.TicketTypes() {
		keys = append(keys, "type."+t.String())
	}
	for _, r := range domain.Roles() {
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
