package web

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRelativeTime(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		ago    time.Duration
		en, ru string
	}{
		{-time.Hour, "just now", "только что"},
		{30 * time.Second, "just now", "только что"},
		{time.Minute, "1 minute ago", "1 минуту назад"},
		{3 * time.Minute, "3 minutes ago", "3 минуты назад"},
		{59 * time.Minute, "59 minutes ago", "59 минут назад"},
		{time.Hour, "1 hour ago", "1 час назад"},
		{21 * time.Hour, "21 hours ago", "21 час назад"},
		{24 * time.Hour, "1 day ago", "1 день назад"},
		{29 * 24 * time.Hour, "29 days ago", "29 дней назад"},
		{30 * 24 * time.Hour, "2026-03-01", "2026-03-01"},
	}
	for _, tc := range cases {
		at := now.Add(-tc.ago)
		assert.Equal(t, tc.en, relativeTime("en", at, now), tc.ago.String())
		assert.Equal(t, tc.ru, relativeTime("ru", at, now), tc.ago.String())
	}
	assert.Equal(t, "2026-03-31 12:00 UTC", absoluteTime(now.In(time.FixedZone("MSK", 3*3600))))
}

// The words kept for every age are the ones a message filled for that age
// gives, at every minute of the month and at the edges within a minute; a
// language without kept words fills its message each time.
func TestRelativeTimeKeptPhrasesAreTheMessages(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	for _, lang := range []string{"en", "ru"} {
		require.NotNil(t, relativePhrases()[lang], lang)
		for ago := -time.Minute; ago < relativeDays*24*time.Hour; ago += time.Minute {
			for _, d := range []time.Duration{ago, ago + time.Second, ago + time.Minute - time.Nanosecond} {
				if got, want := relativeTime(lang, now.Add(-d), now), agePhrase(lang, d); got != want {
					t.Fatalf("%s %v ago: %q, the message says %q", lang, d, got, want)
				}
			}
		}
	}
	assert.Nil(t, relativePhrases()["xx"])
	assert.Equal(t, "time.hours_ago", relativeTime("xx", now.Add(-3*time.Hour), now))
}

// appendMomentTimes writes what time.Format writes, for every year it
// takes, and declines the others.
func TestAppendMomentTimesIsTimeFormat(t *testing.T) {
	times := []time.Time{
		time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(2024, 2, 29, 7, 5, 3, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	for at := time.Date(1999, 12, 31, 22, 0, 0, 0, time.UTC); at.Year() < 2031; at = at.Add(97*time.Hour + 13*time.Minute + 7*time.Second + 123) {
		times = append(times, at)
	}
	for _, u := range times {
		iso, abs, ok := appendMomentTimes(nil, nil, u)
		if assert.True(t, ok, u.String()) {
			assert.Equal(t, u.Format(time.RFC3339), string(iso))
			assert.Equal(t, u.Format(absoluteTimeLayout), string(abs))
		}
	}
	for _, u := range []time.Time{time.Date(999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), {}} {
		iso, abs, ok := appendMomentTimes(nil, nil, u)
		assert.False(t, ok, u.String())
		assert.Empty(t, iso)
		assert.Empty(t, abs)
	}
}

// writeMoment writes a moment as the "time" template does: the exact
// times formatted by time, the relative one by relativeTime, at every age.
func TestWriteMomentIsTheTemplatesMoment(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	ages := []time.Duration{-time.Hour, 0, 5 * time.Minute, 3 * time.Hour, 29 * 24 * time.Hour,
		30*24*time.Hour - time.Second, 30 * 24 * time.Hour, 400 * 24 * time.Hour}
	moments := []time.Time{time.Date(500, 6, 1, 8, 30, 0, 0, time.UTC)}
	for _, ago := range ages {
		moments = append(moments, now.Add(-ago))
	}
	s := new(rowScratch) // one for every moment, as for the rows of a list
	for _, lang := range []string{"en", "ru"} {
		for _, at := range moments {
			var b strings.Builder
			writeMoment(&b, s, lang, at.In(time.FixedZone("MSK", 3*3600)), now)
			want := `<time datetime="` + at.Format(time.RFC3339) + `" title="` + absoluteTime(at) + `">` +
				escapeHTML(relativeTime(lang, at, now)) + `</time>`
			assert.Equal(t, want, b.String(), "%s %s", lang, at)
		}
	}
}

// newMoment, which the templates and the due column use, holds the times
// time.Format writes, for any year.
func TestNewMomentIsTimeFormat(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{now.Add(-3 * time.Hour), now.Add(50 * 24 * time.Hour), time.Date(500, 6, 1, 8, 30, 0, 0, time.UTC)} {
		m := newMoment("en", at.In(time.FixedZone("MSK", 3*3600)), now)
		assert.Equal(t, moment{ISO: at.Format(time.RFC3339), Exact: absoluteTime(at), Ago: relativeTime("en", at, now)}, m, at.String())
	}
}
