package delivery_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/delivery"
	"crm/application"
	"crm/domain"
	"crm/test/testclock"
)

// The dispatcher reads the time from its clock alone: a retry is due when
// the clock says so, however much real time passes.
func TestTheInjectedClockSchedulesTheRetries(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.linkedUser("alice", 7), "Flaky")
	start := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	clock := testclock.NewManual(start)
	n := &fakeNotifier{fail: func(call int, _ sentNote) error {
		if call == 0 {
			return errors.New("connection reset")
		}
		return nil
	}}
	w.dispatcherWith(clock, n, delivery.Config{BackoffMin: time.Minute, BackoffMax: time.Minute})
	w.setStatus(staff, tk, "in_progress")

	eventually(t, "the first attempt is recorded", func() bool {
		ds := w.deliveries()
		return len(ds) == 1 && ds[0].Attempts == 1
	})
	d := w.deliveries()[0]
	assert.Equal(t, application.DeliveryPending, d.Status)
	assert.Equal(t, start, d.Since, "created at the clock's time")
	assert.Equal(t, start, d.UpdatedAt, "the attempt is recorded at the clock's time")
	assert.WithinRange(t, d.NextAttemptAt, start.Add(54*time.Second), start.Add(time.Minute),
		"a minute after the clock's time, less up to a tenth")

	for range 5 {
		w.dispatcherRoundsPass(t)
	}
	clock.Set(d.NextAttemptAt.Add(-time.Millisecond))
	for range 5 {
		w.dispatcherRoundsPass(t)
	}
	assert.Len(t, n.Calls(), 1, "not due before the clock reaches the next attempt")

	clock.Set(d.NextAttemptAt)
	eventually(t, "retried and sent", func() bool { return len(n.Sent()) == 1 })
	eventually(t, "done", func() bool { return w.deliveries()[0].Status == application.DeliveryDone })
	done := w.deliveries()[0]
	assert.Equal(t, 2, done.Attempts)
	assert.Equal(t, d.NextAttemptAt, done.UpdatedAt)
}

// GiveUpAfter counts by the clock too.
func TestTheInjectedClockDecidesWhenToGiveUp(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.linkedUser("alice", 7), "Down")
	start := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	clock := testclock.NewManual(start)
	n := &fakeNotifier{fail: func(int, sentNote) error { return errors.New("502 Bad Gateway") }}
	w.dispatcherWith(clock, n, delivery.Config{BackoffMin: time.Hour, BackoffMax: time.Hour, GiveUpAfter: 2 * time.Hour})
	w.setStatus(staff, tk, "closed")

	attempts := func() int {
		ds := w.deliveries()
		if len(ds) == 0 {
			return 0
		}
		return ds[0].Attempts
	}
	eventually(t, "the first attempt is recorded", func() bool { return attempts() == 1 })
	clock.Set(start.Add(time.Hour))
	eventually(t, "the second attempt is recorded", func() bool { return attempts() == 2 })
	require.Equal(t, application.DeliveryPending, w.deliveries()[0].Status, "an hour in, it is still retried")

	clock.Set(start.Add(2 * time.Hour))
	eventually(t, "given up", func() bool { return w.deliveries()[0].Status == application.DeliveryFailed })
	d := w.deliveries()[0]
	assert.Equal(t, 3, d.Attempts)
	assert.Contains(t, d.LastError, "gave up after 2h0m0s: 502 Bad Gateway")
}
