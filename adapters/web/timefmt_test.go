package web

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
