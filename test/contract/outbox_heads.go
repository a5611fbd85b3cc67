package contract

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// outboxHeads: a claim takes the head of each (handler, key) queue and
// nothing behind it, however long the queues, and a held queue's backlog
// does not stop the others'.
func outboxHeads(t *testing.T, newStore Factory) {
	const h = outboxHandler

	// events stores n TicketStatusChanged events and returns them, oldest
	// first.
	events := func(w *outboxWorld, n int) []application.OutboxEvent {
		tk := w.ticket(addUser(w.t, w.s, "alice", domain.RoleUser))
		for range n / 2 {
			w.move(tk, domain.StatusClosed)
			w.move(tk, domain.StatusOpen)
		}
		es := w.undelivered(h)
		require.Len(w.t, es, n)
		return es
	}

	t.Run("a held key's backlog does not stop another key's head", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		es := events(w, 20)
		w.pending(h, "staff", at(0), es[:19]...)
		first := w.claim("r", at(1), 10)
		require.Equal(t, []int64{es[0].ID}, claimedEvents(first), "one at a time per key")
		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), first[0].ID, "r", application.Attempt{
			Status: application.DeliveryDone, At: at(1), Note: "sent", HoldKeyUntil: at(9)}))

		w.pending(h, "lone", at(0), es[19])
		assert.Equal(t, []int64{es[19].ID}, claimedEvents(w.claim("r", at(2), 10)),
			"the held key's 18 waiting deliveries do not stop another key's head")
		assert.Equal(t, []int64{es[1].ID, es[19].ID}, claimedEvents(w.claim("r", at(9), 10)),
			"once the hold is over the key goes on in event order")
	})

	t.Run("with thousands pending a claim takes the heads only", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		es := events(w, 20)
		const handlers = 100 // 2,000 pending deliveries, 20 behind each head
		var ds []application.NewDelivery
		for i := range handlers {
			for _, e := range es {
				ds = append(ds, application.NewDelivery{EventID: e.ID, Handler: fmt.Sprintf("h%03d", i), Key: "staff",
					Status: application.DeliveryPending, At: at(0)})
			}
		}
		require.NoError(t, s.Outbox.AddDeliveries(t.Context(), ds))

		assert.Len(t, w.claim("r0", at(1), 10), 10, "up to the limit")
		got := w.claim("r1", at(2), 500)
		require.Len(t, got, handlers, "one head per queue")
		byHandler := map[string]int{}
		for _, c := range got {
			assert.Equal(t, es[0].ID, c.EventID, "%s's head is its oldest", c.Handler)
			byHandler[c.Handler]++
		}
		assert.Len(t, byHandler, handlers)
		for _, c := range got[:handlers/2] {
			require.NoError(t, s.Outbox.RecordAttempt(t.Context(), c.ID, "r1",
				application.Attempt{Status: application.DeliveryDone, At: at(2)}))
		}
		again := claimedEvents(w.claim("r2", at(3), 500))
		require.Len(t, again, handlers)
		for i, id := range again {
			want := es[0].ID // the queues whose head is still pending, first
			if i >= handlers/2 {
				want = es[1].ID // then those whose head was made
			}
			assert.Equal(t, want, id, "claim %d", i)
		}
	})
}
