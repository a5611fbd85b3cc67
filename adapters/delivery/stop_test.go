package delivery_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/delivery"
	"crm/application"
	"crm/domain"
)

// refusingOutbox refuses every outcome and says so on refused.
type refusingOutbox struct {
	delivery.Outbox
	records *atomic.Int64
	refused chan<- struct{}
}

func (o refusingOutbox) RecordAttempt(context.Context, int64, string, application.Attempt) error {
	o.records.Add(1)
	select {
	case o.refused <- struct{}{}:
	default:
	}
	return errors.New("database is locked")
}

// A worker whose outcome storage refused waits before trying again; a Stop
// whose time is up ends that wait at once rather than after it.
func TestStopEndsAWorkerWaitingToRecordAgain(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.linkedUser("alice", 7), "Locked")
	var records atomic.Int64
	refused := make(chan struct{}, 1)
	n := &fakeNotifier{}
	d := delivery.NewDispatcher(refusingOutbox{Outbox: w.outbox, records: &records, refused: refused}, w.clock, discardLog(),
		delivery.Config{PollInterval: 10 * time.Millisecond, KeyInterval: -1, RecordRetry: time.Hour},
		application.NewNotifyOwner(w.store.Users, n, ""))
	require.NoError(t, d.Start(context.Background()))
	w.setStatus(staff, tk, "closed")

	select {
	case <-refused:
	case <-time.After(5 * time.Second):
		t.Fatal("the outcome was never stored")
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- d.Stop(ctx) }()
	cancel()
	select {
	case err := <-stopped:
		assert.ErrorIs(t, err, context.Canceled, "Stop says it did not wait for everything")
	case <-time.After(5 * time.Second):
		t.Fatal("Stop waits for the worker's hour")
	}
	assert.Equal(t, int64(1), records.Load(), "the wait ended without another try")
	assert.Len(t, n.Sent(), 1)
}
