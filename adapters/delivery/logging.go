package delivery

import (
	"log/slog"
	"time"

	"crm/application"
)

// errorThrottle logs a repeating error once, then at most once every
// every, by its clock. One goroutine uses it.
type errorThrottle struct {
	clock  application.Clock
	every  time.Duration
	last   string
	lastAt time.Time
}

// log logs err under msg unless it is the error logged last, less than
// every ago.
func (t *errorThrottle) log(log *slog.Logger, msg string, err error) {
	now := t.clock.Now()
	if err.Error() == t.last && now.Sub(t.lastAt) < t.every {
		return
	}
	t.last, t.lastAt = err.Error(), now
	log.Error(msg, "err", err)
}
