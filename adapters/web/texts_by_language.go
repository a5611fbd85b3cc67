package web

import "crm/adapters/i18n"

// byLanguage is a value made once for every language of the catalogue at
// start-up, such as the fixed text of a page written in Go, escaped.
type byLanguage[T any] map[string]T

// newByLanguage makes the value of every language with makeIn, which gets
// the language's code, its catalogue and msg, a message of it escaped.
func newByLanguage[T any](makeIn func(code string, l *i18n.Lang, msg func(key string) string) T) byLanguage[T] {
	m := byLanguage[T]{}
	for _, code := range i18n.Languages() {
		l, ok := i18n.For(code)
		if !ok {
			continue
		}
		m[code] = makeIn(code, l, func(key string) string { return escapeHTML(i18n.Message(code, key)) })
	}
	return m
}

// in returns the value of lang, or of the default language when lang is
// not one.
func (m byLanguage[T]) in(lang string) T {
	if v, ok := m[lang]; ok {
		return v
	}
	return m[i18n.DefaultLanguage]
}
