package i18n

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fillByRegexp is how messages were filled before they were parsed at load:
// a regexp over the message per call. The parsed messages must agree with it.
func fillByRegexp(s string, args []any) (string, error) {
	if len(args)%2 != 0 {
		return "", fmt.Errorf("odd")
	}
	if len(args) == 0 {
		return s, nil
	}
	vals := map[string]string{}
	for i := 0; i < len(args); i += 2 {
		name, ok := args[i].(string)
		if !ok {
			return "", fmt.Errorf("not a string")
		}
		vals[name] = fmt.Sprint(args[i+1])
	}
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := vals[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	}), nil
}

func TestParsedMessagesFillAsTheRegexpDid(t *testing.T) {
	argSets := [][]any{
		nil,
		{"id", 12},
		{"name", "<Ann & Bob>", "id", int64(-3)},
		{"n", 5, "until", "12:00", "bot", "@x", "user", "u", "from", "a", "to", "b", "title", "T", "url", "/u", "username", "v"},
		{"name", "first", "name", "second"},
		{"id", 1.5, "name", true},
	}
	for _, lang := range std.langs {
		for key, text := range std.msgs[lang] {
			for _, args := range argSets {
				want, err := fillByRegexp(text, args)
				require.NoError(t, err)
				got, err := Format(lang, key, args...)
				require.NoError(t, err)
				assert.Equal(t, want, got, "%s %s %v", lang, key, args)
			}
		}
	}
}

func TestFillEdges(t *testing.T) {
	c, err := load(fstest.MapFS{
		"locales/en.json": {Data: []byte(`{"a": "{x} and {y} and {x}{Z}", "b": "plain", "c.one": "one {n}", "c.other": "{n} {what}"}`)},
	})
	require.NoError(t, err)
	en := c.byLang["en"]

	s, err := en.Format("a", "x", 1)
	require.NoError(t, err)
	assert.Equal(t, "1 and {y} and 1{Z}", s, "a placeholder without a value stays")

	s, err = en.Format("a", "x", "first", "y", 2, "x", "last")
	require.NoError(t, err)
	assert.Equal(t, "last and 2 and last{Z}", s, "the last pair wins")

	s, err = en.Format("a")
	require.NoError(t, err)
	assert.Equal(t, "{x} and {y} and {x}{Z}", s)

	_, err = en.Format("b", 1, 2)
	assert.ErrorContains(t, err, "not a string")
	_, err = en.Format("b", "x")
	assert.ErrorContains(t, err, "odd")
	_, err = en.Format("nope")
	assert.ErrorContains(t, err, "no message")

	for _, tc := range []struct {
		n    int
		args []any
		want string
	}{
		{1, nil, "one 1"},
		{-1, nil, "one -1"},
		{0, nil, "0 {what}"},
		{-7, []any{"what", "cats"}, "-7 cats"},
		{3, []any{"n", "three"}, "three {what}"},
	} {
		s, err := en.FormatPlural("c", tc.n, tc.args...)
		require.NoError(t, err)
		assert.Equal(t, tc.want, s, "%d %v", tc.n, tc.args)
	}
	_, err = en.FormatPlural("a", 1)
	assert.ErrorContains(t, err, "no plural message")
}

func TestPluralFallsBackToOther(t *testing.T) {
	c, err := load(fstest.MapFS{
		"locales/en.json": {Data: []byte(`{}`)},
		"locales/ru.json": {Data: []byte(`{"x.one": "{n} one", "x.other": "{n} other"}`)},
	})
	require.NoError(t, err)
	ru := c.byLang["ru"]
	s, err := ru.FormatPlural("x", 5)
	require.NoError(t, err)
	assert.Equal(t, "5 other", s, "no many form: other")
	s, err = ru.FormatPlural("x", 21)
	require.NoError(t, err)
	assert.Equal(t, "21 one", s)
}

func TestForKnowsOnlyTheLanguages(t *testing.T) {
	for _, lang := range Languages() {
		l, ok := For(lang)
		require.True(t, ok, lang)
		assert.Equal(t, lang, l.Name())
	}
	_, ok := For("xx")
	assert.False(t, ok)
}

func BenchmarkFormat(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Format("ru", "flash.ticket_submitted", "id", 12)
		_, _ = FormatPlural("ru", "time.hours_ago", 22)
		_, _ = Format("ru", "ticket.title_col")
	}
}
