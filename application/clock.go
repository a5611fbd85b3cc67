package application

import "time"

// Clock tells the time; tests inject a fixed or steppable one.
type Clock interface {
	Now() time.Time
}

// SystemClock is the Clock of a running server. Its times are UTC, as the
// domain stores them.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now().UTC() }
