package delivery_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/adapters/delivery"
	"crm/application"
	"crm/domain"
)

// Wakes are coalesced, never lost: with no polling to fall back on, every
// commit followed by a wake is delivered, however many wakes arrive at
// once.
func TestDispatcherAnswersEveryWake(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	const n = 40
	tickets := make([]*domain.Ticket, n)
	for i := range tickets {
		tickets[i] = w.ticket(w.linkedUser(fmt.Sprintf("user%d", i), int64(100+i)), "T")
	}
	notes := &fakeNotifier{}
	d := w.dispatcher(notes, delivery.Config{PollInterval: time.Hour, WakeGap: 5 * time.Millisecond})
	w.dispatcherRoundsPass(t) // the round at start is over: from now on only wakes start one
	var wg sync.WaitGroup
	for _, tk := range tickets {
		wg.Go(func() {
			w.setStatus(staff, tk, "in_progress")
			d.Wake()
		})
	}
	wg.Wait()
	eventually(t, "every status change delivered", func() bool { return len(notes.Sent()) == n })
}

// hidingOutbox hides one event from the fan-out until shown, as a
// PostgreSQL transaction that took its event id before a newer event's
// transaction committed, and commits after it.
type hidingOutbox struct {
	delivery.Outbox
	hidden atomic.Int64
}

func (o *hidingOutbox) EventsWithoutDelivery(ctx context.Context, handler string, kinds []string, after int64, limit int) ([]application.OutboxEvent, error) {
	es, err := o.Outbox.EventsWithoutDelivery(ctx, handler, kinds, after, limit)
	out := es[:0]
	for _, e := range es {
		if e.ID != o.hidden.Load() {
			out = append(out, e)
		}
	}
	return out, err
}

func (o *hidingOutbox) EventIDs(ctx context.Context, after, through int64, limit int) ([]int64, error) {
	ids, err := o.Outbox.EventIDs(ctx, after, through, limit)
	out := ids[:0]
	for _, id := range ids {
		if id != o.hidden.Load() {
			out = append(out, id)
		}
	}
	return out, err
}

// An event that commits after a newer one was given its delivery still
// gets its own: the fan-out reads past the newest event it has seen, and
// again from an id it had found missing once that id is stored. The
// test's clock stands still, so no full sweep from the cursor finds it.
func TestDispatcherDeliversAnEventCommittedAfterANewerOne(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	early := w.ticket(w.linkedUser("alice", 1), "A")
	late := w.ticket(w.linkedUser("bob", 2), "B")
	w.setStatus(staff, early, "in_progress")
	last, err := w.outbox.LastEventID(context.Background())
	require.NoError(t, err)
	outbox := &hidingOutbox{Outbox: w.outbox}
	outbox.hidden.Store(last)
	w.setStatus(staff, late, "in_progress")

	notes := &fakeNotifier{}
	d := delivery.NewDispatcher(outbox, w.clock, discardLog(),
		delivery.Config{PollInterval: 10 * time.Millisecond, KeyInterval: -1},
		application.NewNotifyOwner(w.store.Users, notes, ""))
	require.NoError(t, d.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, d.Stop(context.Background())) })
	eventually(t, "the newer event delivered", func() bool { return len(notes.Sent()) == 1 })
	require.Equal(t, int64(2), notes.Sent()[0].Chat)

	outbox.hidden.Store(0) // its transaction commits
	d.Wake()
	eventually(t, "the older event delivered too", func() bool { return len(notes.Sent()) == 2 })
	require.Equal(t, int64(1), notes.Sent()[1].Chat)
}
