package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// base is the time every suite starts from. Its nanoseconds check that
// every adapter keeps whole microseconds.
var base = time.Date(2024, 3, 1, 9, 30, 0, 123456789, time.UTC)

// moscow is a zone other than UTC, to check that every adapter gives times
// back in UTC whatever zone they were stored in.
var moscow = time.FixedZone("MSK", 3*60*60)

// at returns base plus n minutes.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

// atMoscow is at(n) in Moscow's zone.
func atMoscow(n int) time.Time { return at(n).In(moscow) }

// micro is the precision every adapter keeps: UTC, whole microseconds.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// assertTime checks that got is want at the adapters' precision, in UTC.
func assertTime(t *testing.T, want, got time.Time, msgAndArgs ...any) {
	t.Helper()
	assert.Equal(t, time.UTC, got.Location(), msgAndArgs...)
	assert.True(t, micro(want).Equal(got), append([]any{"want %s, got %s", micro(want), got}, msgAndArgs...)...)
}
