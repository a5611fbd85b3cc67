package web

import (
	"time"

	"crm/adapters/i18n"
)

// relativeTime says how long ago t was, "3 hours ago", in lang. Beyond a
// month it gives the date. A time in the future (a clock skew) reads "just
// now".
func relativeTime(lang string, t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return i18n.Message(lang, "time.just_now")
	case d < time.Hour:
		return i18n.Plural(lang, "time.minutes_ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return i18n.Plural(lang, "time.hours_ago", int(d/time.Hour))
	case d < 30*24*time.Hour:
		return i18n.Plural(lang, "time.days_ago", int(d/(24*time.Hour)))
	default:
		return t.UTC().Format("2006-01-02")
	}
}

// absoluteTime is the exact time, for the title of a <time>.
func absoluteTime(t time.Time) string { return t.UTC().Format(absoluteTimeLayout) }

// absoluteTimeLayout is absoluteTime's layout.
const absoluteTimeLayout = "2006-01-02 15:04 UTC"
