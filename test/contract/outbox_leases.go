package contract

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// outboxLeases: claims lease the due head of each key, attempts record
// their outcome, a success holds its key, a release makes a delivery due
// again, and concurrent claims never share a delivery or a key.
func outboxLeases(t *testing.T, newStore Factory) {
	const h = outboxHandler

	t.Run("claims take the due head of each key, oldest first", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(addUser(t, s, "alice", domain.RoleUser))
		for range 3 {
			w.move(tk, domain.StatusClosed)
			w.move(tk, domain.StatusOpen)
		}
		es := w.undelivered(h) // six
		w.pending(h, "a", at(0), es[0], es[2], es[4])
		w.pending(h, "b", at(5), es[1], es[3])
		w.pending("other", "a", at(0), es[5])

		got := w.claim("r1", at(1), 10)
		assert.Equal(t, []int64{es[0].ID, es[5].ID}, claimedEvents(got), "b's head is not due; keys are per handler")
		c := got[0]
		assert.Equal(t, h, c.Handler)
		assert.Equal(t, "a", c.Key)
		assert.Equal(t, domain.KindTicketStatusChanged, c.EventKind)
		assert.Equal(t, micro(at(1)), c.EventAt)
		ev, err := domain.DecodeEvent(c.EventKind, c.Payload)
		require.NoError(t, err)
		assert.Equal(t, "closed", ev.(domain.TicketStatusChanged).To)

		half := 30 * time.Second
		assert.Empty(t, w.claim("r2", at(1).Add(half), 10), "leased heads block their keys")
		again := w.claim("r3", at(2), 10)
		assert.Equal(t, []int64{es[0].ID, es[5].ID}, claimedEvents(again), "an ended lease frees the delivery")
		assert.Empty(t, w.claim("r4", at(2).Add(half), 10))
		for _, c := range again {
			require.NoError(t, s.Outbox.RecordAttempt(t.Context(), c.ID, "r3",
				application.Attempt{Status: application.DeliveryDone, At: at(2)}))
		}
		assert.Equal(t, []int64{es[1].ID, es[2].ID}, claimedEvents(w.claim("r5", at(5), 10)),
			"b is due at 5, and a's next follows its done head")
	})

	t.Run("an attempt's outcome is recorded", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(addUser(t, s, "alice", domain.RoleUser))
		w.move(tk, domain.StatusClosed)
		w.move(tk, domain.StatusOpen)
		es := w.undelivered(h)
		w.pending(h, "a", at(0), es...)
		first := w.claim("r1", at(1), 10)[0]

		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), first.ID, "r1", application.Attempt{
			Status: application.DeliveryPending, At: at(2), NextAttemptAt: at(4), Error: "timeout"}))
		d := w.list()[1]
		assert.Equal(t, application.DeliveryPending, d.Status)
		assert.Equal(t, 1, d.Attempts)
		assert.Equal(t, "timeout", d.LastError)
		assert.Equal(t, micro(at(4)), d.NextAttemptAt)
		assert.Equal(t, micro(at(2)), d.UpdatedAt)
		assert.Empty(t, w.claim("r1", at(3), 10), "waits for its next attempt, and so does the key")

		again := w.claim("r2", at(4), 10)
		require.Equal(t, []int64{es[0].ID}, claimedEvents(again))
		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), first.ID, "r1", application.Attempt{
			Status: application.DeliveryFailed, At: at(4), Error: "late verdict"}))
		assert.Equal(t, application.DeliveryPending, w.list()[1].Status, "a failure from a lost lease is ignored")

		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), first.ID, "r2", application.Attempt{
			Status: application.DeliveryDone, At: at(5), Note: "sent to chat 7"}))
		d = w.list()[1]
		assert.Equal(t, application.DeliveryDone, d.Status)
		assert.Equal(t, 2, d.Attempts)
		assert.Empty(t, d.LastError)
		assert.Equal(t, "sent to chat 7", d.Note)

		second := w.claim("r1", at(5), 10)
		require.Equal(t, []int64{es[1].ID}, claimedEvents(second), "the next of the key is free")
		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), second[0].ID, "someone else", application.Attempt{
			Status: application.DeliveryDone, At: at(6), Note: "sent"}))
		assert.Equal(t, application.DeliveryDone, w.list()[0].Status, "a success is recorded whoever sent it")

		err := s.Outbox.RecordAttempt(t.Context(), 999999, "r1", application.Attempt{Status: application.DeliveryDone, At: at(6)})
		assert.ErrorIs(t, err, domain.ErrDeliveryNotFound)
	})

	t.Run("a success holds its key", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(addUser(t, s, "alice", domain.RoleUser))
		for range 3 {
			w.move(tk, domain.StatusClosed)
			w.move(tk, domain.StatusOpen)
		}
		es := w.undelivered(h)
		w.pending(h, "a", at(0), es[0], es[1])
		w.pending(h, "b", at(0), es[2])
		w.pending("other", "a", at(0), es[2])
		got := w.claim("r", at(1), 10)
		require.Equal(t, []int64{es[0].ID, es[2].ID, es[2].ID}, claimedEvents(got))
		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), got[0].ID, "r", application.Attempt{
			Status: application.DeliveryDone, At: at(1), Note: "sent", HoldKeyUntil: at(3)}))
		for _, c := range got[1:] {
			require.NoError(t, s.Outbox.RecordAttempt(t.Context(), c.ID, "r", application.Attempt{
				Status: application.DeliveryPending, At: at(1), NextAttemptAt: at(2), Error: "x", HoldKeyUntil: at(9)}))
		}
		assert.Equal(t, []int64{es[2].ID, es[2].ID}, claimedEvents(w.claim("r", at(2), 10)),
			"a waits; other keys and handlers do not, and a failure holds nothing")

		// A delivery of the key added after the hold is held too.
		w.pending(h, "c", at(0), es[3])
		c := w.claim("r", at(2), 10)
		require.Equal(t, []int64{es[3].ID}, claimedEvents(c))
		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), c[0].ID, "r", application.Attempt{
			Status: application.DeliveryDone, At: at(2), Note: "sent", HoldKeyUntil: at(4)}))
		w.pending(h, "c", at(2), es[4])
		at3 := claimedEvents(w.claim("r", at(3), 10))
		assert.Contains(t, at3, es[1].ID, "a's hold is over at 3")
		assert.NotContains(t, at3, es[4].ID, "c is held until 4")
		assert.Contains(t, claimedEvents(w.claim("r", at(4), 10)), es[4].ID)
	})

	t.Run("a released delivery is due again", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(addUser(t, s, "alice", domain.RoleUser))
		w.move(tk, domain.StatusClosed)
		w.pending(h, "a", at(0), w.undelivered(h)...)
		c := w.claim("r1", at(1), 10)[0]
		require.NoError(t, s.Outbox.ReleaseDelivery(t.Context(), c.ID, "r2"))
		assert.Empty(t, w.claim("r2", at(1), 10), "only the owner releases")
		require.NoError(t, s.Outbox.ReleaseDelivery(t.Context(), c.ID, "r1"))
		assert.Len(t, w.claim("r2", at(1), 10), 1)
		assert.Zero(t, w.list()[0].Attempts, "a release is no attempt")
		assert.ErrorIs(t, s.Outbox.ReleaseDelivery(t.Context(), 999999, "r1"), domain.ErrDeliveryNotFound)
	})

	t.Run("concurrent claims never share a delivery or a key", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		for i := range 10 {
			tk := w.ticket(addUser(t, s, fmt.Sprintf("user%d", i), domain.RoleUser))
			w.move(tk, domain.StatusClosed)
			w.move(tk, domain.StatusOpen)
		}
		for _, e := range w.undelivered(h) {
			ev, err := domain.DecodeEvent(e.Kind, e.Payload)
			require.NoError(t, err)
			w.pending(h, fmt.Sprintf("user:%d", ev.(domain.TicketStatusChanged).OwnerID), at(0), e)
		}
		var mu sync.Mutex
		seen, keys := map[int64]int{}, map[string]int{}
		var wg sync.WaitGroup
		for r := range 6 {
			wg.Go(func() {
				got, err := s.Outbox.ClaimDeliveries(t.Context(), fmt.Sprintf("r%d", r), at(1), at(2), 4)
				assert.NoError(t, err)
				mu.Lock()
				defer mu.Unlock()
				for _, c := range got {
					seen[c.ID]++
					keys[c.Key]++
				}
			})
		}
		wg.Wait()
		assert.Len(t, seen, 10, "every key's head is claimed by someone")
		for id, n := range seen {
			assert.Equal(t, 1, n, "delivery %d claimed %d times", id, n)
		}
		for k, n := range keys {
			assert.Equal(t, 1, n, "key %s claimed %d times", k, n)
		}
	})

}
