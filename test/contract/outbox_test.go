package contract_test

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

func TestOutbox(t *testing.T) {
	forEachBackend(t, outboxSuite)
}

// outboxWorld seeds a store with events through the repositories.
type outboxWorld struct {
	t     *testing.T
	s     telegramStore
	staff *domain.User
}

func newOutboxWorld(t *testing.T, s telegramStore) *outboxWorld {
	return &outboxWorld{t: t, s: s, staff: tgUser(t, s, "staff", domain.RoleStaff)}
}

// ticket stores a new ticket (a TicketSubmitted event) of owner.
func (w *outboxWorld) ticket(owner *domain.User) *domain.Ticket {
	w.t.Helper()
	tk, err := domain.NewTicket(owner, "Title", "Text", "repair", tgAt(0))
	require.NoError(w.t, err)
	require.NoError(w.t, w.s.Tickets.Add(w.t.Context(), tk))
	return tk
}

// move changes the status of tk (a TicketStatusChanged event).
func (w *outboxWorld) move(tk *domain.Ticket, to domain.Status) {
	w.t.Helper()
	require.NoError(w.t, w.s.Tickets.Update(w.t.Context(), tk.ID(), func(t *domain.Ticket) error {
		return t.ChangeStatus(w.staff, to, "", tgAt(1))
	}))
}

// statusEvents returns the events of kind TicketStatusChanged without a
// delivery for handler, oldest first.
func (w *outboxWorld) undelivered(handler string) []application.OutboxEvent {
	w.t.Helper()
	es, err := w.s.Outbox.EventsWithoutDelivery(w.t.Context(), handler, []string{domain.KindTicketStatusChanged}, 0, 100)
	require.NoError(w.t, err)
	return es
}

// pending adds a pending delivery of each event for handler under key,
// due at due.
func (w *outboxWorld) pending(handler, key string, due time.Time, events ...application.OutboxEvent) {
	w.t.Helper()
	ds := make([]application.NewDelivery, len(events))
	for i, e := range events {
		ds[i] = application.NewDelivery{EventID: e.ID, Handler: handler, Key: key, Status: application.DeliveryPending, At: due}
	}
	require.NoError(w.t, w.s.Outbox.AddDeliveries(w.t.Context(), ds))
}

func (w *outboxWorld) claim(owner string, now time.Time, limit int) []application.ClaimedDelivery {
	w.t.Helper()
	got, err := w.s.Outbox.ClaimDeliveries(w.t.Context(), owner, now, now.Add(time.Minute), limit)
	require.NoError(w.t, err)
	return got
}

func (w *outboxWorld) list(statuses ...application.DeliveryStatus) []application.Delivery {
	w.t.Helper()
	p, err := w.s.Outbox.ListDeliveries(w.t.Context(), application.DeliveryFilter{Statuses: statuses, Page: application.Page{Limit: application.MaxPageSize}})
	require.NoError(w.t, err)
	return p.Deliveries
}

func claimedEvents(cs []application.ClaimedDelivery) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.EventID
	}
	return out
}

// outboxSuite is the contract of application.Outbox and
// application.Deliveries.
func outboxSuite(t *testing.T, newStore telegramFactory) {
	const h = "notify"

	t.Run("events without delivery", func(t *testing.T) {
		s := newStore(t)
		last, err := s.Outbox.LastEventID(t.Context())
		require.NoError(t, err)
		assert.Zero(t, last)

		w := newOutboxWorld(t, s)
		owner := tgUser(t, s, "alice", domain.RoleUser)
		tk := w.ticket(owner)
		w.move(tk, domain.StatusInProgress)
		w.move(tk, domain.StatusClosed)

		all := w.undelivered(h)
		require.Len(t, all, 2, "only the kinds asked for")
		assert.Less(t, all[0].ID, all[1].ID, "oldest first")
		e := all[0]
		assert.Equal(t, domain.KindTicketStatusChanged, e.Kind)
		assert.Equal(t, fmt.Sprintf("ticket:%d", tk.ID()), e.Stream)
		assert.Equal(t, tgMicro(tgAt(1)), e.At)
		ev, err := domain.DecodeEvent(e.Kind, e.Payload)
		require.NoError(t, err)
		assert.Equal(t, "in_progress", ev.(domain.TicketStatusChanged).To)

		last, err = s.Outbox.LastEventID(t.Context())
		require.NoError(t, err)
		assert.Equal(t, all[1].ID, last)

		after, err := s.Outbox.EventsWithoutDelivery(t.Context(), h, []string{domain.KindTicketStatusChanged}, all[0].ID, 100)
		require.NoError(t, err)
		assert.Equal(t, all[1:], after, "after skips the older ones")
		one, err := s.Outbox.EventsWithoutDelivery(t.Context(), h, []string{domain.KindTicketStatusChanged}, 0, 1)
		require.NoError(t, err)
		assert.Equal(t, all[:1], one, "limit")
		both, err := s.Outbox.EventsWithoutDelivery(t.Context(), h, []string{domain.KindTicketStatusChanged, domain.KindTicketSubmitted}, 0, 100)
		require.NoError(t, err)
		assert.Len(t, both, 3)

		w.pending(h, "user:1", tgAt(2), all[0])
		w.pending(h, "user:1", tgAt(2), all[0]) // a second add of the same is skipped
		assert.Equal(t, all[1:], w.undelivered(h), "a delivery of the handler hides the event")
		assert.Equal(t, all, w.undelivered("other"), "but not for another handler")
		assert.Len(t, w.list(), 1)
	})

	t.Run("cursors only move forward", func(t *testing.T) {
		s := newStore(t)
		c, err := s.Outbox.Cursor(t.Context(), h)
		require.NoError(t, err)
		assert.Zero(t, c)
		require.NoError(t, s.Outbox.AdvanceCursor(t.Context(), h, 5))
		require.NoError(t, s.Outbox.AdvanceCursor(t.Context(), h, 3))
		c, err = s.Outbox.Cursor(t.Context(), h)
		require.NoError(t, err)
		assert.Equal(t, int64(5), c)
		c, err = s.Outbox.Cursor(t.Context(), "other")
		require.NoError(t, err)
		assert.Zero(t, c)
	})

	t.Run("settled deliveries are stored as given", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(tgUser(t, s, "alice", domain.RoleUser))
		w.move(tk, domain.StatusClosed)
		w.move(tk, domain.StatusOpen)
		es := w.undelivered(h)
		require.NoError(t, s.Outbox.AddDeliveries(t.Context(), []application.NewDelivery{
			{EventID: es[0].ID, Handler: h, Key: "k", Status: application.DeliveryDone, Note: "skipped: internal note", At: tgAt(3)},
			{EventID: es[1].ID, Handler: h, Key: "event:2", Status: application.DeliveryFailed, LastError: "does not decode", At: tgAt(3)},
		}))
		got := w.list()
		require.Len(t, got, 2)
		failed, done := got[0], got[1]
		assert.Equal(t, application.Delivery{ID: done.ID, EventID: es[0].ID, EventKind: domain.KindTicketStatusChanged,
			Stream: fmt.Sprintf("ticket:%d", tk.ID()), Handler: h, Key: "k", Status: application.DeliveryDone,
			NextAttemptAt: tgMicro(tgAt(3)), Note: "skipped: internal note", Since: tgMicro(tgAt(3)),
			CreatedAt: tgMicro(tgAt(3)), UpdatedAt: tgMicro(tgAt(3))}, done)
		assert.Equal(t, application.DeliveryFailed, failed.Status)
		assert.Equal(t, "does not decode", failed.LastError)
		assert.Empty(t, w.claim("a", tgAt(10), 10), "settled ones are never claimed")
	})

	t.Run("claims take the due head of each key, oldest first", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(tgUser(t, s, "alice", domain.RoleUser))
		for range 3 {
			w.move(tk, domain.StatusClosed)
			w.move(tk, domain.StatusOpen)
		}
		es := w.undelivered(h) // six
		w.pending(h, "a", tgAt(0), es[0], es[2], es[4])
		w.pending(h, "b", tgAt(5), es[1], es[3])
		w.pending("other", "a", tgAt(0), es[5])

		got := w.claim("r1", tgAt(1), 10)
		assert.Equal(t, []int64{es[0].ID, es[5].ID}, claimedEvents(got), "b's head is not due; keys are per handler")
		c := got[0]
		assert.Equal(t, h, c.Handler)
		assert.Equal(t, "a", c.Key)
		assert.Equal(t, domain.KindTicketStatusChanged, c.EventKind)
		assert.Equal(t, tgMicro(tgAt(1)), c.EventAt)
		ev, err := domain.DecodeEvent(c.EventKind, c.Payload)
		require.NoError(t, err)
		assert.Equal(t, "closed", ev.(domain.TicketStatusChanged).To)

		half := 30 * time.Second
		assert.Empty(t, w.claim("r2", tgAt(1).Add(half), 10), "leased heads block their keys")
		again := w.claim("r3", tgAt(2), 10)
		assert.Equal(t, []int64{es[0].ID, es[5].ID}, claimedEvents(again), "an ended lease frees the delivery")
		assert.Empty(t, w.claim("r4", tgAt(2).Add(half), 10))
		for _, c := range again {
			require.NoError(t, s.Outbox.RecordAttempt(t.Context(), c.ID, "r3",
				application.Attempt{Status: application.DeliveryDone, At: tgAt(2)}))
		}
		assert.Equal(t, []int64{es[1].ID, es[2].ID}, claimedEvents(w.claim("r5", tgAt(5), 10)),
			"b is due at 5, and a's next follows its done head")
	})

	t.Run("an attempt's outcome is recorded", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(tgUser(t, s, "alice", domain.RoleUser))
		w.move(tk, domain.StatusClosed)
		w.move(tk, domain.StatusOpen)
		es := w.undelivered(h)
		w.pending(h, "a", tgAt(0), es...)
		first := w.claim("r1", tgAt(1), 10)[0]

		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), first.ID, "r1", application.Attempt{
			Status: application.DeliveryPending, At: tgAt(2), NextAttemptAt: tgAt(4), Error: "timeout"}))
		d := w.list()[1]
		assert.Equal(t, application.DeliveryPending, d.Status)
		assert.Equal(t, 1, d.Attempts)
		assert.Equal(t, "timeout", d.LastError)
		assert.Equal(t, tgMicro(tgAt(4)), d.NextAttemptAt)
		assert.Equal(t, tgMicro(tgAt(2)), d.UpdatedAt)
		assert.Empty(t, w.claim("r1", tgAt(3), 10), "waits for its next attempt, and so does the key")

		again := w.claim("r2", tgAt(4), 10)
		require.Equal(t, []int64{es[0].ID}, claimedEvents(again))
		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), first.ID, "r1", application.Attempt{
			Status: application.DeliveryFailed, At: tgAt(4), Error: "late verdict"}))
		assert.Equal(t, application.DeliveryPending, w.list()[1].Status, "a failure from a lost lease is ignored")

		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), first.ID, "r2", application.Attempt{
			Status: application.DeliveryDone, At: tgAt(5), Note: "sent to chat 7"}))
		d = w.list()[1]
		assert.Equal(t, application.DeliveryDone, d.Status)
		assert.Equal(t, 2, d.Attempts)
		assert.Empty(t, d.LastError)
		assert.Equal(t, "sent to chat 7", d.Note)

		second := w.claim("r1", tgAt(5), 10)
		require.Equal(t, []int64{es[1].ID}, claimedEvents(second), "the next of the key is free")
		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), second[0].ID, "someone else", application.Attempt{
			Status: application.DeliveryDone, At: tgAt(6), Note: "sent"}))
		assert.Equal(t, application.DeliveryDone, w.list()[0].Status, "a success is recorded whoever sent it")

		err := s.Outbox.RecordAttempt(t.Context(), 999999, "r1", application.Attempt{Status: application.DeliveryDone, At: tgAt(6)})
		assert.ErrorIs(t, err, domain.ErrDeliveryNotFound)
	})

	t.Run("a success holds its key", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(tgUser(t, s, "alice", domain.RoleUser))
		for range 3 {
			w.move(tk, domain.StatusClosed)
			w.move(tk, domain.StatusOpen)
		}
		es := w.undelivered(h)
		w.pending(h, "a", tgAt(0), es[0], es[1])
		w.pending(h, "b", tgAt(0), es[2])
		w.pending("other", "a", tgAt(0), es[2])
		got := w.claim("r", tgAt(1), 10)
		require.Equal(t, []int64{es[0].ID, es[2].ID, es[2].ID}, claimedEvents(got))
		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), got[0].ID, "r", application.Attempt{
			Status: application.DeliveryDone, At: tgAt(1), Note: "sent", HoldKeyUntil: tgAt(3)}))
		for _, c := range got[1:] {
			require.NoError(t, s.Outbox.RecordAttempt(t.Context(), c.ID, "r", application.Attempt{
				Status: application.DeliveryPending, At: tgAt(1), NextAttemptAt: tgAt(2), Error: "x", HoldKeyUntil: tgAt(9)}))
		}
		assert.Equal(t, []int64{es[2].ID, es[2].ID}, claimedEvents(w.claim("r", tgAt(2), 10)),
			"a waits; other keys and handlers do not, and a failure holds nothing")

		// A delivery of the key added after the hold is held too.
		w.pending(h, "c", tgAt(0), es[3])
		c := w.claim("r", tgAt(2), 10)
		require.Equal(t, []int64{es[3].ID}, claimedEvents(c))
		require.NoError(t, s.Outbox.RecordAttempt(t.Context(), c[0].ID, "r", application.Attempt{
			Status: application.DeliveryDone, At: tgAt(2), Note: "sent", HoldKeyUntil: tgAt(4)}))
		w.pending(h, "c", tgAt(2), es[4])
		at3 := claimedEvents(w.claim("r", tgAt(3), 10))
		assert.Contains(t, at3, es[1].ID, "a's hold is over at 3")
		assert.NotContains(t, at3, es[4].ID, "c is held until 4")
		assert.Contains(t, claimedEvents(w.claim("r", tgAt(4), 10)), es[4].ID)
	})

	t.Run("a released delivery is due again", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(tgUser(t, s, "alice", domain.RoleUser))
		w.move(tk, domain.StatusClosed)
		w.pending(h, "a", tgAt(0), w.undelivered(h)...)
		c := w.claim("r1", tgAt(1), 10)[0]
		require.NoError(t, s.Outbox.ReleaseDelivery(t.Context(), c.ID, "r2"))
		assert.Empty(t, w.claim("r2", tgAt(1), 10), "only the owner releases")
		require.NoError(t, s.Outbox.ReleaseDelivery(t.Context(), c.ID, "r1"))
		assert.Len(t, w.claim("r2", tgAt(1), 10), 1)
		assert.Zero(t, w.list()[0].Attempts, "a release is no attempt")
		assert.ErrorIs(t, s.Outbox.ReleaseDelivery(t.Context(), 999999, "r1"), domain.ErrDeliveryNotFound)
	})

	t.Run("concurrent claims never share a delivery or a key", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		for i := range 10 {
			tk := w.ticket(tgUser(t, s, fmt.Sprintf("user%d", i), domain.RoleUser))
			w.move(tk, domain.StatusClosed)
			w.move(tk, domain.StatusOpen)
		}
		for _, e := range w.undelivered(h) {
			ev, err := domain.DecodeEvent(e.Kind, e.Payload)
			require.NoError(t, err)
			w.pending(h, fmt.Sprintf("user:%d", ev.(domain.TicketStatusChanged).OwnerID), tgAt(0), e)
		}
		var mu sync.Mutex
		seen, keys := map[int64]int{}, map[string]int{}
		var wg sync.WaitGroup
		for r := range 6 {
			wg.Go(func() {
				got, err := s.Outbox.ClaimDeliveries(t.Context(), fmt.Sprintf("r%d", r), tgAt(1), tgAt(2), 4)
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

	t.Run("staff list and requeue", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(tgUser(t, s, "alice", domain.RoleUser))
		for range 3 {
			w.move(tk, domain.StatusClosed)
			w.move(tk, domain.StatusOpen)
		}
		es := w.undelivered(h)
		for i, e := range es {
			w.pending(h, fmt.Sprintf("k%d", i), tgAt(0), e)
		}
		claimed := w.claim("r", tgAt(1), 10)
		require.Len(t, claimed, 6)
		outcomes := []application.Attempt{
			{Status: application.DeliveryFailed, At: tgAt(2), Error: "Bad Request: chat not found"},
			{Status: application.DeliveryDone, At: tgAt(2), Note: "sent"},
			{Status: application.DeliveryPending, At: tgAt(2), NextAttemptAt: tgAt(9), Error: "timeout"},
			{Status: application.DeliveryFailed, At: tgAt(2), Error: "blocked"},
			{Status: application.DeliveryDone, At: tgAt(2), Note: "sent"},
		}
		for i, a := range outcomes {
			require.NoError(t, s.Outbox.RecordAttempt(t.Context(), claimed[i].ID, "r", a))
		}
		require.NoError(t, s.Outbox.ReleaseDelivery(t.Context(), claimed[5].ID, "r"))

		ids := func(ds []application.Delivery) []int64 {
			out := make([]int64, len(ds))
			for i, d := range ds {
				out[i] = d.ID
			}
			return out
		}
		c := claimed
		assert.Equal(t, []int64{c[3].ID, c[0].ID}, ids(w.list(application.DeliveryFailed)), "newest first")
		assert.Equal(t, []int64{c[5].ID, c[3].ID, c[2].ID, c[0].ID},
			ids(w.list(application.DeliveryFailed, application.DeliveryPending)))
		assert.Len(t, w.list(), 6)

		p, err := s.Outbox.ListDeliveries(t.Context(), application.DeliveryFilter{
			Statuses: []application.DeliveryStatus{application.DeliveryFailed, application.DeliveryPending}, Page: application.Page{Limit: 3}})
		require.NoError(t, err)
		assert.Equal(t, 4, p.Total)
		assert.Equal(t, []int64{c[5].ID, c[3].ID, c[2].ID}, ids(p.Deliveries))
		assert.Equal(t, c[2].ID, p.Next)
		p, err = s.Outbox.ListDeliveries(t.Context(), application.DeliveryFilter{
			Statuses: []application.DeliveryStatus{application.DeliveryFailed, application.DeliveryPending}, Page: application.Page{Limit: 3, Before: p.Next}})
		require.NoError(t, err)
		assert.Equal(t, []int64{c[0].ID}, ids(p.Deliveries))
		assert.Zero(t, p.Next)

		require.NoError(t, s.Outbox.RequeueDelivery(t.Context(), c[0].ID, tgAt(20)))
		require.NoError(t, s.Outbox.RequeueDelivery(t.Context(), c[1].ID, tgAt(20)), "a done one is left alone")
		assert.ErrorIs(t, s.Outbox.RequeueDelivery(t.Context(), 999999, tgAt(20)), domain.ErrDeliveryNotFound)
		var requeued, done application.Delivery
		for _, d := range w.list() {
			switch d.ID {
			case c[0].ID:
				requeued = d
			case c[1].ID:
				done = d
			}
		}
		assert.Equal(t, application.DeliveryPending, requeued.Status)
		assert.Zero(t, requeued.Attempts)
		assert.Equal(t, tgMicro(tgAt(20)), requeued.Since)
		assert.Equal(t, tgMicro(tgAt(20)), requeued.NextAttemptAt)
		assert.Equal(t, "Bad Request: chat not found", requeued.LastError, "the last error stays visible")
		assert.Equal(t, application.DeliveryDone, done.Status)
		assert.Contains(t, claimedEvents(w.claim("r", tgAt(20), 10)), c[0].EventID)
	})
}
