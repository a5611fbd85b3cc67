package i18n

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

func TestTheCataloguesAgree(t *testing.T) {
	require.NoError(t, Check(), "every message in every language, with the same placeholders")
	assert.Equal(t, []string{"en", "ru"}, Languages())
}

func TestCheckFindsGaps(t *testing.T) {
	c, err := load(fstest.MapFS{
		"locales/en.json": {Data: []byte(`{"a": "A {id}", "b": "B", "n.one": "{n} x", "n.other": "{n} xs", "p": "P {name}"}`)},
		"locales/ru.json": {Data: []byte(`{"a": "А {id}", "c": "В", "n.one": "{n} х", "n.few": "{n} ха", "p": "П {other}"}`)},
	})
	require.NoError(t, err)
	err = c.check()
	require.Error(t, err)
	for _, want := range []string{
		`ru: missing "b"`, `en: missing "c"`, `ru: plural group "n" lacks the "many" form`, `"p": placeholders`,
	} {
		assert.ErrorContains(t, err, want)
	}
}

func TestLoadRefusesBrokenFiles(t *testing.T) {
	_, err := load(fstest.MapFS{"locales/en.json": {Data: []byte(`{"a": `)}})
	assert.Error(t, err)
	_, err = load(fstest.MapFS{"locales/ru.json": {Data: []byte(`{}`)}})
	assert.ErrorContains(t, err, "default language")
}

func TestMessageFillsPlaceholders(t *testing.T) {
	assert.Equal(t, "Ticket #12 submitted. We will keep you posted here.", Message("en", "flash.ticket_submitted", "id", 12))
	assert.Equal(t, "Заявка №12 отправлена. Следите за ней здесь.", Message("ru", "flash.ticket_submitted", "id", 12))
	assert.Equal(t, "no.such.key", Message("en", "no.such.key"), "a gap shows as its key")
	assert.Equal(t, "status.open", Message("xx", "status.open"), "an unknown language is a gap too")
	_, err := Format("en", "no.such.key")
	assert.Error(t, err)
	_, err = Format("en", "flash.ticket_submitted", "id")
	assert.Error(t, err, "odd arguments")
}

func TestPluralForms(t *testing.T) {
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 hours ago"}, {"en", 1, "1 hour ago"}, {"en", 2, "2 hours ago"},
		{"ru", 1, "1 час назад"}, {"ru", 2, "2 часа назад"}, {"ru", 4, "4 часа назад"},
		{"ru", 5, "5 часов назад"}, {"ru", 11, "11 часов назад"}, {"ru", 12, "12 часов назад"},
		{"ru", 14, "14 часов назад"}, {"ru", 21, "21 час назад"}, {"ru", 22, "22 часа назад"},
		{"ru", 25, "25 часов назад"}, {"ru", 111, "111 часов назад"}, {"ru", 0, "0 часов назад"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Plural(tc.lang, "time.hours_ago", tc.n), "%s %d", tc.lang, tc.n)
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		prefs []string
		want  string
	}{
		{[]string{"ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"}, "ru"},
		{[]string{"en-GB,en;q=0.9,ru;q=0.8"}, "en"},
		{[]string{"de-DE,de;q=0.9"}, "en"},
		{[]string{""}, "en"},
		{[]string{"!!!garbage"}, "en"},
		{[]string{"", "ru"}, "ru"},
		{[]string{"ru"}, "ru"},
		{nil, "en"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Match(tc.prefs...), "%q", tc.prefs)
	}
}

func TestValidationMessages(t *testing.T) {
	assert.Equal(t, "Enter a title.", Validation("en", "title", "required"))
	assert.Equal(t, "Введите заголовок.", Validation("ru", "title", "required"))
	assert.Equal(t, "This field is required.", Validation("en", "nickname", "required"), "generic by code")
	assert.Equal(t, "This value is not valid.", Validation("en", "nickname", "exotic"), "generic fallback")
}

func TestEveryDomainNameHasAMessage(t *testing.T) {
	var keys []string
	for _, s := range domain.Statuses() {
		keys = append(keys, "status."+s.String())
	}
	for _, tt := range domain.TicketTypes() {
		keys = append(keys, "type."+tt.String())
	}
	for _, r := range domain.Roles() {
		keys = append(keys, "role."+r.String())
	}
	for _, lang := range Languages() {
		for _, key := range keys {
			assert.True(t, Has(lang, key), "%s %s", lang, key)
		}
	}
}
