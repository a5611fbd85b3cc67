package contract

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// Deliveries is the contract of an Outbox: application.Outbox, the
// dispatcher's side (events without a delivery, cursors, claims under
// leases, attempts, releases), and application.Deliveries, the staff's
// (listing, requeueing).
func Deliveries(t *testing.T, newStore Factory) {
	outboxFanOut(t, newStore)
	outboxLeases(t, newStore)
	outboxHeads(t, newStore)
	outboxStaffView(t, newStore)
}

// outboxHandler is the handler the suite's deliveries are for.
const outboxHandler = "notify"

// outboxWorld seeds a store with events through the repositories.
type outboxWorld struct {
	t     *testing.T
	s     Store
	staff *domain.User
}

func newOutboxWorld(t *testing.T, s Store) *outboxWorld {
	return &outboxWorld{t: t, s: s, staff: addUser(t, s, "staff", domain.RoleStaff)}
}

// ticket stores a new ticket (a TicketSubmitted event) of owner.
func (w *outboxWorld) ticket(owner *domain.User) *domain.Ticket {
	w.t.Helper()
	tk, err := domain.NewTicket(owner, "Title", "Text", "repair", at(0))
	require.NoError(w.t, err)
	require.NoError(w.t, w.s.Tickets.Add(w.t.Context(), tk))
	return tk
}

// move changes the status of tk (a TicketStatusChanged event).
func (w *outboxWorld) move(tk *domain.Ticket, to domain.Status) {
	w.t.Helper()
	require.NoError(w.t, w.s.Tickets.Update(w.t.Context(), tk.ID(), func(t *domain.Ticket) error {
		return t.ChangeStatus(w.staff, to, "", at(1))
	}))
}

// undelivered returns the events of kind TicketStatusChanged without a
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

// claim leases up to limit due deliveries to owner for a minute from now.
func (w *outboxWorld) claim(owner string, now time.Time, limit int) []application.ClaimedDelivery {
	w.t.Helper()
	got, err := w.s.Outbox.ClaimDeliveries(w.t.Context(), owner, now, now.Add(time.Minute), limit)
	require.NoError(w.t, err)
	return got
}

// list returns the deliveries in statuses (any when none), newest first.
func (w *outboxWorld) list(statuses ...application.DeliveryStatus) []application.Delivery {
	w.t.Helper()
	p, err := w.s.Outbox.ListDeliveries(w.t.Context(), application.DeliveryFilter{Statuses: statuses, Page: application.Page{Limit: application.MaxPageSize}})
	require.NoError(w.t, err)
	return p.Deliveries
}

// claimedEvents lists the event ids of cs, in order.
func claimedEvents(cs []application.ClaimedDelivery) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.EventID
	}
	return out
}

// outboxFanOut: the events a handler has no delivery of yet, the handlers'
// cursors, and deliveries added already settled.
func outboxFanOut(t *testing.T, newStore Factory) {
	const h = outboxHandler

	t.Run("events without delivery", func(t *testing.T) {
		s := newStore(t)
		last, err := s.Outbox.LastEventID(t.Context())
		require.NoError(t, err)
		assert.Zero(t, last)

		w := newOutboxWorld(t, s)
		owner := addUser(t, s, "alice", domain.RoleUser)
		tk := w.ticket(owner)
		w.move(tk, domain.StatusInProgress)
		w.move(tk, domain.StatusClosed)

		all := w.undelivered(h)
		require.Len(t, all, 2, "only the kinds asked for")
		assert.Less(t, all[0].ID, all[1].ID, "oldest first")
		e := all[0]
		assert.Equal(t, domain.KindTicketStatusChanged, e.Kind)
		assert.Equal(t, fmt.Sprintf("ticket:%d", tk.ID()), e.Stream)
		assert.Equal(t, micro(at(1)), e.At)
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

		w.pending(h, "user:1", at(2), all[0])
		w.pending(h, "user:1", at(2), all[0]) // a second add of the same is skipped
		assert.Equal(t, all[1:], w.undelivered(h), "a delivery of the handler hides the event")
		assert.Equal(t, all, w.undelivered("other"), "but not for another handler")
		assert.Len(t, w.list(), 1)
	})

	t.Run("event ids of every kind in a range", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		none, err := s.Outbox.EventIDs(t.Context(), 0, math.MaxInt64, 10)
		require.NoError(t, err)
		assert.Empty(t, none)

		tk := w.ticket(addUser(t, s, "alice", domain.RoleUser))
		w.move(tk, domain.StatusInProgress)
		w.move(tk, domain.StatusClosed)
		last, err := s.Outbox.LastEventID(t.Context())
		require.NoError(t, err)
		all, err := s.Outbox.EventIDs(t.Context(), 0, math.MaxInt64, 10)
		require.NoError(t, err)
		require.Len(t, all, 3, "the submission too: any kind")
		assert.True(t, slices.IsSorted(all), "in order")
		assert.Equal(t, last, all[2])

		some, err := s.Outbox.EventIDs(t.Context(), all[0], all[1], 10)
		require.NoError(t, err)
		assert.Equal(t, all[1:2], some, "above after, up to through")
		first, err := s.Outbox.EventIDs(t.Context(), 0, math.MaxInt64, 2)
		require.NoError(t, err)
		assert.Equal(t, all[:2], first, "limit")
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

	t.Run("many deliveries at once, some there already, are each stored once in the order given", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(addUser(t, s, "alice", domain.RoleUser))
		for i := range 75 {
			w.move(tk, []domain.Status{domain.StatusClosed, domain.StatusOpen}[i%2])
		}
		es := w.undelivered(h)
		require.Len(t, es, 75)
		w.pending(h, "k", at(2), es[3], es[70]) // two have theirs already
		w.pending(h, "k", at(2), es...)         // 75 rows: statements of 64, 8, 2 and 1
		assert.Empty(t, w.undelivered(h))
		got := w.list()
		require.Len(t, got, 75, "one each")
		var order []int64
		for i := len(got) - 1; i >= 0; i-- { // got is newest first
			order = append(order, got[i].EventID)
		}
		want := []int64{es[3].ID, es[70].ID}
		for i, e := range es {
			if i != 3 && i != 70 {
				want = append(want, e.ID)
			}
		}
		assert.Equal(t, want, order, "ids given in the order added")
	})

	t.Run("settled deliveries are stored as given", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(addUser(t, s, "alice", domain.RoleUser))
		w.move(tk, domain.StatusClosed)
		w.move(tk, domain.StatusOpen)
		es := w.undelivered(h)
		require.NoError(t, s.Outbox.AddDeliveries(t.Context(), []application.NewDelivery{
			{EventID: es[0].ID, Handler: h, Key: "k", Status: application.DeliveryDone, Note: "skipped: internal note", At: at(3)},
			{EventID: es[1].ID, Handler: h, Key: "event:2", Status: application.DeliveryFailed, LastError: "does not decode", At: at(3)},
		}))
		got := w.list()
		require.Len(t, got, 2)
		failed, done := got[0], got[1]
		assert.Equal(t, application.Delivery{ID: done.ID, EventID: es[0].ID, EventKind: domain.KindTicketStatusChanged,
			Stream: fmt.Sprintf("ticket:%d", tk.ID()), Handler: h, Key: "k", Status: application.DeliveryDone,
			NextAttemptAt: micro(at(3)), Note: "skipped: internal note", Since: micro(at(3)),
			CreatedAt: micro(at(3)), UpdatedAt: micro(at(3))}, done)
		assert.Equal(t, application.DeliveryFailed, failed.Status)
		assert.Equal(t, "does not decode", failed.LastError)
		assert.Empty(t, w.claim("a", at(10), 10), "settled ones are never claimed")
	})

}

// outboxStaffView: staff list deliveries by status, a page at a time, and
// requeue one.
func outboxStaffView(t *testing.T, newStore Factory) {
	const h = outboxHandler

	t.Run("staff list and requeue", func(t *testing.T) {
		s := newStore(t)
		w := newOutboxWorld(t, s)
		tk := w.ticket(addUser(t, s, "alice", domain.RoleUser))
		for range 3 {
			w.move(tk, domain.StatusClosed)
			w.move(tk, domain.StatusOpen)
		}
		es := w.undelivered(h)
		for i, e := range es {
			w.pending(h, fmt.Sprintf("k%d", i), at(0), e)
		}
		claimed := w.claim("r", at(1), 10)
		require.Len(t, claimed, 6)
		outcomes := []application.Attempt{
			{Status: application.DeliveryFailed, At: at(2), Error: "Bad Request: chat not found"},
			{Status: application.DeliveryDone, At: at(2), Note: "sent"},
			{Status: application.DeliveryPending, At: at(2), NextAttemptAt: at(9), Error: "timeout"},
			{Status: application.DeliveryFailed, At: at(2), Error: "blocked"},
			{Status: application.DeliveryDone, At: at(2), Note: "sent"},
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
		counts, err := s.Outbox.CountDeliveries(t.Context(),
			application.DeliveryPending, application.DeliveryFailed, application.DeliveryDone)
		require.NoError(t, err)
		assert.Equal(t, map[application.DeliveryStatus]int{
			application.DeliveryPending: 2, application.DeliveryFailed: 2, application.DeliveryDone: 2,
		}, counts, "counted by status, together")
		counts, err = s.Outbox.CountDeliveries(t.Context(), application.DeliveryFailed)
		require.NoError(t, err)
		assert.Equal(t, map[application.DeliveryStatus]int{application.DeliveryFailed: 2}, counts, "only the statuses asked for")
		assert.Equal(t, c[2].ID, p.Next)
		p, err = s.Outbox.ListDeliveries(t.Context(), application.DeliveryFilter{
			Statuses: []application.DeliveryStatus{application.DeliveryFailed, application.DeliveryPending}, Page: application.Page{Limit: 3, Before: p.Next}})
		require.NoError(t, err)
		assert.Equal(t, []int64{c[0].ID}, ids(p.Deliveries))
		assert.Zero(t, p.Next)

		require.NoError(t, s.Outbox.RequeueDelivery(t.Context(), c[0].ID, at(20)))
		require.NoError(t, s.Outbox.RequeueDelivery(t.Context(), c[1].ID, at(20)), "a done one is left alone")
		assert.ErrorIs(t, s.Outbox.RequeueDelivery(t.Context(), 999999, at(20)), domain.ErrDeliveryNotFound)
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
		assert.Equal(t, micro(at(20)), requeued.Since)
		assert.Equal(t, micro(at(20)), requeued.NextAttemptAt)
		assert.Equal(t, "Bad Request: chat not found", requeued.LastError, "the last error stays visible")
		assert.Equal(t, application.DeliveryDone, done.Status)
		counts, err = s.Outbox.CountDeliveries(t.Context(), application.DeliveryPending, application.DeliveryFailed)
		require.NoError(t, err)
		assert.Equal(t, map[application.DeliveryStatus]int{application.DeliveryPending: 3, application.DeliveryFailed: 1},
			counts, "the requeued one counts as pending")
		assert.Contains(t, claimedEvents(w.claim("r", at(20), 10)), c[0].EventID)
	})
}
