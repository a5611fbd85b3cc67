package web

import (
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"text/template/parse"

	"crm/adapters/i18n"
)

// bindMessages fixes the messages of set, a page in lang, that do not
// change between requests. {{t "key"}} becomes the message itself and
// {{asset "name"}} the file's address (fm's asset), and once html/template
// has escaped the page, such a constant that stands alone in HTML text or
// a quoted attribute becomes plain text, escaped once here, as
// html/template would have escaped it on every request; so does
// {{languageOptions}}, HTML the same on every page in lang. Errors: the
// page cannot be escaped (an ambiguous context), which would otherwise
// fail its first request.
func bindMessages(set *template.Template, lang string, fm template.FuncMap) error {
	l, ok := i18n.For(lang)
	if !ok {
		return fmt.Errorf("no catalogue for %q", lang)
	}
	asset, _ := fm["asset"].(func(string) string)
	constants := map[string]template.HTML{}
	if f, ok := fm["languageOptions"].(func() template.HTML); ok {
		constants["languageOptions"] = f()
	}
	for _, t := range set.Templates() {
		if t.Tree != nil {
			foldMessages(t.Tree.Root, l, asset)
		}
	}
	// Executing escapes the page's parts (and what they call) as the
	// layout executes them, in HTML text; an execution that fails without
	// data or stops at the first write does not matter, only a failure to
	// escape does.
	for _, name := range []string{"title", "content"} {
		var escErr *template.Error
		if err := set.ExecuteTemplate(stopWriter{}, name, nil); errors.As(err, &escErr) {
			return fmt.Errorf("escape: %w", err)
		}
	}
	for _, t := range set.Templates() {
		if t.Tree != nil {
			if err := freezeMessages(t.Tree.Root, constants); err != nil {
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
// constant of the message, and each `asset "name"` (when asset is not nil)
// with the file's address.
func foldMessages(node parse.Node, l *i18n.Lang, asset func(string) string) {
	walkCommands(node, func(c *parse.CommandNode) {
		if len(c.Args) != 2 {
			return
		}
		id, ok := c.Args[0].(*parse.IdentifierNode)
		arg, ok2 := c.Args[1].(*parse.StringNode)
		if !ok || !ok2 {
			return
		}
		var s string
		switch {
		case id.Ident == "t":
			msg, err := l.Format(arg.Text)
			if err != nil {
				return // left to fail as it always did
			}
			s = msg
		case id.Ident == "asset" && asset != nil:
			s = asset(arg.Text)
		default:
			return
		}
		arg.Text, arg.Quoted = s, strconv.Quote(s)
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
// constant through one of textEscapers (or through urlEscapers, when the
// string is a plain path) with the escaped text, and each that prints one
// of constants as HTML with its HTML.
func freezeMessages(node parse.Node, constants map[string]template.HTML) error {
	freeze := func(n parse.Node) error { return freezeMessages(n, constants) }
	list, ok := node.(*parse.ListNode)
	if !ok || list == nil {
		return walkBranches(node, freeze)
	}
	for i, n := range list.Nodes {
		a, ok := n.(*parse.ActionNode)
		if !ok {
			if err := walkBranches(n, freeze); err != nil {
				return err
			}
			continue
		}
		if h, ok := constantHTML(a.Pipe, constants); ok {
			list.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: a.Pos, Text: []byte(h)}
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

// constantHTML returns constants[name] when pipe is `name |
// _html_template_htmlescaper`, which passes HTML as it is.
func constantHTML(pipe *parse.PipeNode, constants map[string]template.HTML) (template.HTML, bool) {
	if pipe == nil || len(pipe.Decl) > 0 || len(pipe.Cmds) != 2 ||
		len(pipe.Cmds[0].Args) != 1 || len(pipe.Cmds[1].Args) != 1 {
		return "", false
	}
	name, ok := pipe.Cmds[0].Args[0].(*parse.IdentifierNode)
	esc, ok2 := pipe.Cmds[1].Args[0].(*parse.IdentifierNode)
	if !ok || !ok2 || esc.Ident != "_html_template_htmlescaper" {
		return "", false
	}
	h, ok := constants[name.Ident]
	return h, ok
}

// escapeText escapes a string as html/template does in HTML text.
var escapeText = template.Must(template.New("").Parse(`{{.}}`))

// urlEscapers are what html/template puts before the escaper of a quoted
// attribute when the value is a URL (href, src): they leave a plainURL
// as it is.
var urlEscapers = []string{"_html_template_urlfilter", "_html_template_urlnormalizer"}

// plainURL reports whether s is an address on this site made only of
// letters, digits and / . _ ~ - ? = ("/static/style.css?v=1a2b"), which
// neither URL escaper changes.
func plainURL(s string) bool {
	if !strings.HasPrefix(s, "/") {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/._~-?=", c)
		if !ok {
			return false
		}
	}
	return true
}

// escapedConstant returns s when pipe is `"s" | escaper` with one of
// textEscapers, or `"s" | urlEscapers… | escaper` with s a plainURL, and
// no variable.
func escapedConstant(pipe *parse.PipeNode) (string, bool) {
	if pipe == nil || len(pipe.Decl) > 0 || len(pipe.Cmds) < 2 {
		return "", false
	}
	for _, c := range pipe.Cmds {
		if len(c.Args) != 1 {
			return "", false
		}
	}
	s, ok := pipe.Cmds[0].Args[0].(*parse.StringNode)
	if !ok {
		return "", false
	}
	last := len(pipe.Cmds) - 1
	esc, ok := pipe.Cmds[last].Args[0].(*parse.IdentifierNode)
	if !ok || !textEscapers[esc.Ident] {
		return "", false
	}
	if between := pipe.Cmds[1:last]; len(between) > 0 {
		if len(between) != len(urlEscapers) || !plainURL(s.Text) {
			return "", false
		}
		for i, c := range between {
			if id, ok := c.Args[0].(*parse.IdentifierNode); !ok || id.Ident != urlEscapers[i] {
				return "", false
			}
		}
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
