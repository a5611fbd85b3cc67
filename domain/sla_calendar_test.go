package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// berlinOffice is Monday to Friday 09:00–18:00 in Berlin, plus a Sunday
// night shift 01:00–05:00 that the change to summer time shortens.
func berlinOffice(t *testing.T) domain.Calendar {
	t.Helper()
	week, err := domain.ParseSchedule("mon 09:00-18:00\ntue 09:00-18:00\nwed 09:00-18:00\nthu 09:00-18:00\nfri 09:00-18:00\nsun 01:00-05:00")
	require.NoError(t, err)
	cal, err := domain.NewBusinessHours("Europe/Berlin", week)
	require.NoError(t, err)
	return cal
}

func berlin(t *testing.T, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	require.NoError(t, err)
	return at
}

func TestCalendarAddsWorkingTime(t *testing.T) {
	cal := berlinOffice(t)
	cases := []struct {
		name  string
		start string
		d     time.Duration
		want  string // Berlin wall clock
	}{
		{"within a day", "2026-03-25 10:00", 4 * time.Hour, "2026-03-25 14:00"},
		{"from before opening", "2026-03-25 07:30", time.Hour, "2026-03-25 10:00"},
		{"overnight", "2026-03-25 16:00", 4 * time.Hour, "2026-03-26 11:00"},
		{"ends exactly at closing", "2026-03-25 14:00", 4 * time.Hour, "2026-03-25 18:00"},
		// Friday 16:00 CET: two hours on Friday, the Sunday shift (only
		// three hours long: 02:00 does not exist that night), then Monday
		// in summer time.
		{"across a weekend and the change to summer time", "2026-03-27 16:00", 6 * time.Hour, "2026-03-30 10:00"},
		{"inside the shortened night", "2026-03-29 01:00", 3*time.Hour + 30*time.Minute, "2026-03-30 09:30"},
		{"across the change back to winter time", "2026-10-23 17:00", 4 * time.Hour, "2026-10-25 03:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := cal.Add(berlin(t, tc.start), tc.d)
			assert.Equal(t, berlin(t, tc.want).UTC(), got)
			assert.Equal(t, tc.d, cal.Working(berlin(t, tc.start), got), "Working undoes Add")
		})
	}
}

func TestCalendarWorkingTimeOfADSTSunday(t *testing.T) {
	cal := berlinOffice(t)
	assert.Equal(t, 3*time.Hour, cal.Working(berlin(t, "2026-03-29 00:00"), berlin(t, "2026-03-29 23:00")),
		"01:00–05:00 on the night the clocks go forward is three hours")
	assert.Equal(t, 5*time.Hour, cal.Working(berlin(t, "2026-10-25 00:00"), berlin(t, "2026-10-25 23:00")),
		"and five when they go back")
	assert.Zero(t, cal.Working(berlin(t, "2026-03-28 00:00"), berlin(t, "2026-03-28 23:59")), "Saturday is off")
}

func TestAllWeekCalendar(t *testing.T) {
	assert.Equal(t, t0.Add(72*time.Hour), domain.AllWeek.Add(t0, 72*time.Hour))
	assert.Equal(t, 5*time.Hour, domain.AllWeek.Working(t0, t0.Add(5*time.Hour)))
	assert.Zero(t, domain.AllWeek.Working(t0, t0.Add(-time.Hour)))
	cal, err := domain.ParseCalendar(domain.AllWeek.String())
	require.NoError(t, err)
	assert.True(t, cal.IsAllWeek())
}

func TestCalendarStoredFormRoundTrips(t *testing.T) {
	cal := berlinOffice(t)
	again, err := domain.ParseCalendar(cal.String())
	require.NoError(t, err)
	assert.Equal(t, cal.String(), again.String())
	assert.Equal(t, "Europe/Berlin", again.Zone())
	assert.Equal(t, []domain.Span{{Start: 9 * 60, End: 18 * 60}}, again.Spans(time.Monday))
}

func TestBusinessHoursRefuseBadInput(t *testing.T) {
	cases := []struct {
		name, zone, schedule string
		field, code          string
	}{
		{"overlapping hours", "Europe/Berlin", "mon 09:00-13:00\nmon 12:00-18:00", "schedule", domain.CodeOverlap},
		{"end before start", "Europe/Berlin", "mon 18:00-09:00", "schedule", domain.CodeInvalid},
		{"no hours", "Europe/Berlin", "", "schedule", domain.CodeNoHours},
		{"unknown zone", "Mars/Olympus", "mon 09:00-18:00", "time_zone", domain.CodeUnknownZone},
		{"empty zone", "", "mon 09:00-18:00", "time_zone", domain.CodeUnknownZone},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			week, err := domain.ParseSchedule(tc.schedule)
			require.NoError(t, err)
			_, err = domain.NewBusinessHours(tc.zone, week)
			errs, ok := domain.AsValidation(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.code, errs.Field(tc.field))
		})
	}
	for _, bad := range []string{"monday 09:00-18:00", "mon 9-18", "mon 09:00-25:00", "mon 09:60-10:00", "mon", "xyz 09:00-10:00"} {
		_, err := domain.ParseSchedule(bad)
		assert.Equal(t, domain.ValidationError{Field: "schedule", Code: domain.CodeInvalid}, err, bad)
	}
}

func TestParseTarget(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"4h": 4 * time.Hour, "3d": 72 * time.Hour, "1d 4h": 28 * time.Hour, "90m": 90 * time.Minute, "8": 8 * time.Hour,
		"0": 0,
	} {
		got, err := domain.ParseTarget("response", in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"soon", "-4h", "4x", "h", "4.5h"} {
		_, err := domain.ParseTarget("response", bad)
		assert.Error(t, err, bad)
	}
	_, err := domain.NewSLAPolicy(domain.TypeRepair, 0, time.Hour, domain.AllWeek)
	errs, _ := domain.AsValidation(err)
	assert.Equal(t, domain.CodeNotPositive, errs.Field("response"))
	_, err = domain.NewSLAPolicy(domain.TypeRepair, 5*time.Hour, 4*time.Hour, domain.AllWeek)
	errs, _ = domain.AsValidation(err)
	assert.Equal(t, domain.CodeAfterResolution, errs.Field("response"))
	assert.Equal(t, "1d 4h 30m", domain.FormatTarget(28*time.Hour+30*time.Minute))
}
