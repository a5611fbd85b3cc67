// Package i18n is the message catalogue of the request desk: every page
// text, form error, status, type and role name, in each interface language.
//
// The catalogues are the files locales/<lang>.json, flat objects of key →
// message that a translator edits directly. A message may hold named
// placeholders, "Ticket #{id} submitted", filled from name/value pairs:
//
//	i18n.Message("ru", "flash.ticket_submitted", "id", 12)
//
// A message that depends on a count is a group of keys, one per plural form
// of the language (CLDR categories): "time.minutes_ago.one",
// "time.minutes_ago.other" in English; ".one", ".few", ".many" in Russian.
// Plural picks the form and fills {n}.
//
// The package is shared by the HTTP pages and the Telegram notifier, so both
// speak the same words.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// DefaultLanguage is the language used when nothing else matches.
const DefaultLanguage = "en"

//go:embed locales/*.json
var localeFiles embed.FS

// catalogue holds the loaded messages, by language then key.
type catalogue struct {
	langs   []string // DefaultLanguage first
	msgs    map[string]map[string]string
	byLang  map[string]*Lang
	matcher language.Matcher
}

var std = mustLoad(localeFiles)

func mustLoad(fsys fs.FS) *catalogue {
	c, err := load(fsys)
	if err != nil {
		panic(fmt.Sprintf("i18n: %v", err))
	}
	return c
}

// load reads every locales/*.json of fsys.
func load(fsys fs.FS) (*catalogue, error) {
	names, err := fs.Glob(fsys, "locales/*.json")
	if err != nil {
		return nil, fmt.Errorf("list catalogues: %w", err)
	}
	c := &catalogue{msgs: map[string]map[string]string{}}
	for _, name := range names {
		lang := strings.TrimSuffix(path.Base(name), ".json")
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		c.msgs[lang] = m
		c.langs = append(c.langs, lang)
	}
	c.byLang = make(map[string]*Lang, len(c.langs))
	for _, lang := range c.langs {
		c.byLang[lang] = newLang(lang, c.msgs[lang])
	}
	if _, ok := c.msgs[DefaultLanguage]; !ok {
		return nil, fmt.Errorf("no catalogue for the default language %q", DefaultLanguage)
	}
	sort.Slice(c.langs, func(i, j int) bool {
		if (c.langs[i] == DefaultLanguage) != (c.langs[j] == DefaultLanguage) {
			return c.langs[i] == DefaultLanguage
		}
		return c.langs[i] < c.langs[j]
	})
	tags := make([]language.Tag, len(c.langs))
	for i, l := range c.langs {
		t, err := language.Parse(l)
		if err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", l, err)
		}
		tags[i] = t
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// Languages returns the interface languages, the default one first.
func Languages() []string { return slices.Clone(std.langs) }

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool { return slices.Contains(std.langs, lang) }

// Match picks the interface language for a reader from their preferences,
// best first: each is a language tag or a whole Accept-Language header
// ("ru-RU,ru;q=0.9,en;q=0.8"). Empty and malformed ones are skipped. Without
// a match it returns DefaultLanguage.
func Match(prefs ...string) string {
	for _, p := range prefs {
		if strings.TrimSpace(p) == "" {
			continue
		}
		desired, _, err := language.ParseAcceptLanguage(p)
		if err != nil || len(desired) == 0 {
			continue
		}
		if _, i, conf := std.matcher.Match(desired...); conf != language.No {
			return std.langs[i]
		}
	}
	return DefaultLanguage
}

// Has reports whether lang has a message (or a plural group) named key.
func Has(lang, key string) bool {
	m := std.msgs[lang]
	if _, ok := m[key]; ok {
		return true
	}
	_, ok := m[key+".other"]
	if !ok {
		_, ok = m[key+".many"]
	}
	return ok
}

// Message returns the message key in lang with its placeholders filled from
// args, name/value pairs. An unsupported lang reads the default catalogue. A
// missing key comes back as the key itself, so a gap shows but never breaks
// a page or a notification; Format reports it as an error instead.
func Message(lang, key string, args ...any) string {
	s, err := Format(lang, key, args...)
	if err != nil {
		return key
	}
	return s
}

// Format is Message that reports a missing key, an unsupported language or
// odd args as an error.
func Format(lang, key string, args ...any) (string, error) {
	l, ok := std.byLang[lang]
	if !ok {
		return "", fmt.Errorf("i18n: unsupported language %q", lang)
	}
	return l.Format(key, args...)
}

// Plural returns the form of the plural group key that fits n in lang, with
// {n} and the placeholders of args filled. A missing group comes back as the
// key itself.
func Plural(lang, key string, n int, args ...any) string {
	s, err := FormatPlural(lang, key, n, args...)
	if err != nil {
		return key
	}
	return s
}

// FormatPlural is Plural that reports a missing group as an error.
func FormatPlural(lang, key string, n int, args ...any) (string, error) {
	l, ok := std.byLang[lang]
	if !ok {
		return "", fmt.Errorf("i18n: unsupported language %q", lang)
	}
	return l.FormatPlural(key, n, args...)
}

// Validation returns the message for a validation error on field with code
// (domain.ValidationError): "error.<field>.<code>" when the catalogue has
// one, else the generic "error.<code>", else "error.invalid".
func Validation(lang, field, code string) string {
	for _, key := range []string{"error." + field + "." + code, "error." + code} {
		if s, err := Format(lang, key); err == nil {
			return s
		}
	}
	return Message(lang, "error.invalid")
}

var placeholder = regexp.MustCompile(`\{([a-z_][a-z0-9_]*)\}`)
