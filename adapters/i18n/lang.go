package i18n

import (
	"fmt"
	"strconv"
	"strings"
)

// Lang is the catalogue of one language with every message parsed once: a
// caller that looks up many messages, a page being rendered, pays a map
// lookup per message and no parsing. Get it with For.
type Lang struct {
	name    string
	msgs    map[string]*message
	plurals map[string]*pluralGroup
}

// pluralGroup is the forms of one plural message, by CLDR category.
type pluralGroup struct {
	forms map[string]*message
	other *message // nil when the group has no "other" form
}

// message is a catalogue message cut at its placeholders: text is the whole
// message, and when it holds placeholders, lits[i] is the text before
// names[i] and the last of lits the text after the last one.
type message struct {
	text  string
	lits  []string
	names []string
}

// For returns the catalogue of lang, or false for an unsupported language.
func For(lang string) (*Lang, bool) {
	l, ok := std.byLang[lang]
	return l, ok
}

// newLang parses the messages msgs of lang.
func newLang(lang string, msgs map[string]string) *Lang {
	l := &Lang{name: lang, msgs: make(map[string]*message, len(msgs)), plurals: map[string]*pluralGroup{}}
	for key, text := range msgs {
		m := parseMessage(text)
		l.msgs[key] = m
		if i := strings.LastIndexByte(key, '.'); i > 0 && isPluralForm(key[i+1:]) {
			g := l.plurals[key[:i]]
			if g == nil {
				g = &pluralGroup{forms: map[string]*message{}}
				l.plurals[key[:i]] = g
			}
			g.forms[key[i+1:]] = m
			if key[i+1:] == "other" {
				g.other = m
			}
		}
	}
	return l
}

// parseMessage cuts text at its {name} placeholders.
func parseMessage(text string) *message {
	m := &message{text: text}
	at := 0
	for _, loc := range placeholder.FindAllStringSubmatchIndex(text, -1) {
		m.lits = append(m.lits, text[at:loc[0]])
		m.names = append(m.names, text[loc[2]:loc[3]])
		at = loc[1]
	}
	if m.names != nil {
		m.lits = append(m.lits, text[at:])
	}
	return m
}

// Name is the language, "en".
func (l *Lang) Name() string { return l.name }

// Format returns the message key with its placeholders filled from args,
// name/value pairs. Errors: no such message, odd args, a name that is not a
// string.
func (l *Lang) Format(key string, args ...any) (string, error) {
	m, ok := l.msgs[key]
	if !ok {
		return "", fmt.Errorf("i18n: no message %q in %q", key, l.name)
	}
	return m.fill(false, 0, args)
}

// FormatPlural returns the form of the plural group key that fits n, with
// {n} and the placeholders of args filled. Errors: no such group, odd args,
// a name that is not a string.
func (l *Lang) FormatPlural(key string, n int, args ...any) (string, error) {
	m := l.pluralForm(key, n)
	if m == nil {
		return "", fmt.Errorf("i18n: no plural message %q for %d in %q", key, n, l.name)
	}
	return m.fill(true, n, args)
}

// pluralForm is the form of group key for n, the "other" form when the
// group lacks n's, or nil when there is no such group.
func (l *Lang) pluralForm(key string, n int) *message {
	g, ok := l.plurals[key]
	if !ok {
		return nil
	}
	if m, ok := g.forms[pluralCategory(l.name, n)]; ok {
		return m
	}
	return g.other
}

// fill replaces each {name} with the value paired with name in args, the
// last pair when a name comes twice; with hasN, n is the value of {n}
// unless args name it too. A placeholder without a value stays as it is.
func (m *message) fill(hasN bool, n int, args []any) (string, error) {
	if len(args)%2 != 0 {
		return "", fmt.Errorf("i18n: odd number of placeholder arguments %v", args)
	}
	for i := 0; i < len(args); i += 2 {
		if _, ok := args[i].(string); !ok {
			return "", fmt.Errorf("i18n: placeholder name %v is not a string", args[i])
		}
	}
	if m.names == nil || (len(args) == 0 && !hasN) {
		return m.text, nil
	}
	var b strings.Builder
	b.Grow(len(m.text) + 8*len(m.names))
	for i, name := range m.names {
		b.WriteString(m.lits[i])
		if v, ok := lookup(name, hasN, n, args); ok {
			b.WriteString(v)
		} else {
			b.WriteString("{" + name + "}")
		}
	}
	b.WriteString(m.lits[len(m.names)])
	return b.String(), nil
}

// lookup returns the value of placeholder name: the last pair in args that
// names it, else n for "n" with hasN.
func lookup(name string, hasN bool, n int, args []any) (string, bool) {
	for i := len(args) - 2; i >= 0; i -= 2 {
		if args[i].(string) == name {
			return stringOf(args[i+1]), true
		}
	}
	if name == "n" && hasN {
		return strconv.Itoa(n), true
	}
	return "", false
}

// stringOf is fmt.Sprint(v), without reflection for the usual kinds.
func stringOf(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return fmt.Sprint(v)
}
