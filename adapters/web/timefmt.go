package web

import (
	"sync"
	"time"

	"crm/adapters/i18n"
)

// relativeTime says how long ago t was, "3 hours ago", in lang. Beyond a
// month it gives the date. A time in the future (a clock skew) reads "just
// now".
func relativeTime(lang string, t, now time.Time) string {
	d := now.Sub(t)
	if d >= relativeDays*24*time.Hour {
		return t.UTC().Format("2006-01-02")
	}
	if p := relativePhrases()[lang]; p != nil {
		return p.of(d)
	}
	return agePhrase(lang, d)
}

// agePhrase is relativeTime's words for an age d under relativeDays.
func agePhrase(lang string, d time.Duration) string {
	switch {
	case d < time.Minute:
		return i18n.Message(lang, "time.just_now")
	case d < time.Hour:
		return i18n.Plural(lang, "time.minutes_ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return i18n.Plural(lang, "time.hours_ago", int(d/time.Hour))
	default:
		return i18n.Plural(lang, "time.days_ago", int(d/(24*time.Hour)))
	}
}

// agePhrases are agePhrase's words for every age it tells apart, in one
// language: a list page writes one a row, and filling a plural message for
// each was an allocation a row.
type agePhrases struct {
	justNow string
	minutes [60]string
	hours   [24]string
	days    [relativeDays]string
}

// relativePhrases are the agePhrases of every interface language, made at
// first use.
var relativePhrases = sync.OnceValue(func() map[string]*agePhrases {
	m := make(map[string]*agePhrases)
	for _, lang := range i18n.Languages() {
		p := &agePhrases{justNow: agePhrase(lang, 0)}
		for n := 1; n < len(p.minutes); n++ {
			p.minutes[n] = agePhrase(lang, time.Duration(n)*time.Minute)
		}
		for n := 1; n < len(p.hours); n++ {
			p.hours[n] = agePhrase(lang, time.Duration(n)*time.Hour)
		}
		for n := 1; n < len(p.days); n++ {
			p.days[n] = agePhrase(lang, time.Duration(n)*24*time.Hour)
		}
		m[lang] = p
	}
	return m
})

// of is agePhrase of d, which is under relativeDays.
func (p *agePhrases) of(d time.Duration) string {
	switch {
	case d < time.Minute:
		return p.justNow
	case d < time.Hour:
		return p.minutes[d/time.Minute]
	case d < 24*time.Hour:
		return p.hours[d/time.Hour]
	default:
		return p.days[d/(24*time.Hour)]
	}
}

// absoluteTime is the exact time, for the title of a <time>.
func absoluteTime(t time.Time) string { return t.UTC().Format(absoluteTimeLayout) }

// absoluteTimeLayout is absoluteTime's layout.
const absoluteTimeLayout = "2006-01-02 15:04 UTC"

// relativeDays is how many days back relativeTime counts; older times are
// their date.
const relativeDays = 30

// appendMomentTimes appends u (in UTC) to iso as time.RFC3339 and to abs as
// absoluteTimeLayout, as time.Format would, from one reading of its date
// and clock: a list page writes two of them for each of its rows. ok is
// false, and nothing appended, for a year of other than four digits, which
// time.Format writes differently.
func appendMomentTimes(iso, abs []byte, u time.Time) (isoOut, absOut []byte, ok bool) {
	year, month, day := u.Date()
	if year < 1000 || year > 9999 {
		return iso, abs, false
	}
	hour, minute, second := u.Clock()
	two := func(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }
	date := func(b []byte) []byte {
		b = two(two(b, year/100), year%100)
		b = two(append(b, '-'), int(month))
		return two(append(b, '-'), day)
	}
	iso = two(append(date(iso), 'T'), hour)
	iso = two(append(iso, ':'), minute)
	iso = append(two(append(iso, ':'), second), 'Z')
	abs = two(append(date(abs), ' '), hour)
	abs = append(two(append(abs, ':'), minute), " UTC"...)
	return iso, abs, true
}
