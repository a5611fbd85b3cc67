package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/delivery"
	"crm/application"
	"crm/domain"
)

func TestDispatcherNotifiesTheOwner(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	owner := w.linkedUser("alice", 42)
	require.NoError(t, w.store.Users.Update(ctx, owner.ID(), func(u *domain.User) error { return u.SetLanguage("ru") }))
	tk := w.ticket(owner, "Printer broken")

	n := &fakeNotifier{}
	w.dispatcher(n, delivery.Config{})

	require.NoError(t, w.change.Handle(ctx, application.ChangeStatus{Actor: staff, TicketID: tk.ID(), Status: "in_progress", Comment: "on it"}))
	require.NoError(t, w.comment.Handle(ctx, application.AddComment{Actor: staff, TicketID: tk.ID(), Text: "bring it in"}))
	require.NoError(t, w.comment.Handle(ctx, application.AddComment{Actor: staff, TicketID: tk.ID(), Text: "staff only", Internal: true}))
	require.NoError(t, w.comment.Handle(ctx, application.AddComment{Actor: owner, TicketID: tk.ID(), Text: "thanks"}))

	eventually(t, "two notifications and every delivery settled", func() bool {
		if len(n.Sent()) < 2 {
			return false
		}
		for _, d := range w.deliveries() {
			if d.Status != application.DeliveryDone {
				return false
			}
		}
		return len(w.deliveries()) == 4
	})
	url := fmt.Sprintf("https://crm.example/tickets/%d", tk.ID())
	sent := n.Sent()
	require.Len(t, sent, 2)
	assert.Equal(t, int64(42), sent[0].Chat)
	assert.Equal(t, application.Notification{Kind: application.NotifyStatusChanged, Language: "ru", TicketID: tk.ID(),
		Title: "Printer broken", Status: "in_progress", Author: "staff", Text: "on it", URL: url}, sent[0].N)
	assert.Equal(t, int64(42), sent[1].Chat)
	assert.Equal(t, application.Notification{Kind: application.NotifyCommentAdded, Language: "ru", TicketID: tk.ID(),
		Title: "Printer broken", Author: "staff", Text: "bring it in", URL: url}, sent[1].N)
	notes := []string{}
	for _, d := range w.deliveries() {
		notes = append(notes, d.Note)
	}
	assert.Equal(t, []string{"sent to chat 42", "sent to chat 42", "skipped: internal note", "skipped: written by the owner"}, notes)
}

func TestDispatcherSkipsAnOwnerWithoutTelegram(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.user("alice", domain.RoleUser), "No chat")
	n := &fakeNotifier{}
	w.dispatcher(n, delivery.Config{})
	w.setStatus(staff, tk, "closed")
	eventually(t, "the delivery is settled", func() bool {
		ds := w.deliveries()
		return len(ds) == 1 && ds[0].Status == application.DeliveryDone
	})
	assert.Equal(t, "skipped: telegram not linked", w.deliveries()[0].Note)
	assert.Empty(t, n.Calls())
}

func TestDispatcherRetriesUntilSent(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.linkedUser("alice", 7), "Flaky")
	n := &fakeNotifier{fail: func(call int, _ sentNote) error {
		if call < 3 {
			return errors.New("connection reset")
		}
		return nil
	}}
	w.dispatcher(n, delivery.Config{})
	w.setStatus(staff, tk, "in_progress")
	eventually(t, "the delivery is done", func() bool {
		ds := w.deliveries()
		return len(ds) == 1 && ds[0].Status == application.DeliveryDone
	})
	d := w.deliveries()[0]
	assert.Equal(t, 4, d.Attempts)
	assert.Empty(t, d.LastError)
	assert.Len(t, n.Sent(), 1, "sent exactly once")
}

func TestDispatcherHonoursRetryAfter(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.linkedUser("alice", 7), "Flooded")
	var firstAt, secondAt atomic.Int64
	n := &fakeNotifier{fail: func(call int, _ sentNote) error {
		if call == 0 {
			firstAt.Store(time.Now().UnixNano())
			return &application.RetryAfterError{After: 300 * time.Millisecond, Err: errors.New("too many requests")}
		}
		secondAt.Store(time.Now().UnixNano())
		return nil
	}}
	// The dispatcher reads real time here.
	d := delivery.NewDispatcher(w.outbox, application.SystemClock{}, discardLog(),
		delivery.Config{PollInterval: 10 * time.Millisecond, BackoffMin: time.Millisecond},
		application.NewNotifyOwner(w.store.Users, n, ""))
	require.NoError(t, d.Start(context.Background()))
	t.Cleanup(func() { _ = d.Stop(context.Background()) })
	w.setStatus(staff, tk, "in_progress")
	eventually(t, "sent", func() bool { return len(n.Sent()) == 1 })
	wait := time.Duration(secondAt.Load() - firstAt.Load())
	assert.GreaterOrEqual(t, wait, 300*time.Millisecond, "the retry waited as told, not the 1ms backoff")
}

func TestDispatcherGivesUp(t *testing.T) {
	ctx := context.Background()

	t.Run("at once on a permanent error, and staff can retry", func(t *testing.T) {
		w := newWorld(t)
		staff := w.user("staff", domain.RoleStaff)
		alice := w.linkedUser("alice", 7)
		tk := w.ticket(alice, "Bad")
		var broken atomic.Bool
		broken.Store(true)
		n := &fakeNotifier{fail: func(int, sentNote) error {
			if broken.Load() {
				return fmt.Errorf("%w: Bad Request: chat not found", application.ErrPermanent)
			}
			return nil
		}}
		w.dispatcher(n, delivery.Config{})
		w.setStatus(staff, tk, "closed")
		eventually(t, "the delivery failed", func() bool {
			ds := w.deliveries()
			return len(ds) == 1 && ds[0].Status == application.DeliveryFailed
		})
		d := w.deliveries()[0]
		assert.Equal(t, 1, d.Attempts)
		assert.Contains(t, d.LastError, "chat not found")

		page, err := w.tg.ListDeliveries.Handle(ctx, application.ListDeliveries{Actor: staff})
		require.NoError(t, err)
		require.Len(t, page.Deliveries, 1, "staff see it")
		_, err = w.tg.ListDeliveries.Handle(ctx, application.ListDeliveries{Actor: alice})
		assert.ErrorIs(t, err, domain.ErrForbidden)
		assert.ErrorIs(t, w.tg.RetryDelivery.Handle(ctx, application.RetryDelivery{Actor: alice, ID: d.ID}), domain.ErrForbidden)
		assert.ErrorIs(t, w.tg.RetryDelivery.Handle(ctx, application.RetryDelivery{Actor: staff, ID: 999}), domain.ErrDeliveryNotFound)

		broken.Store(false)
		require.NoError(t, w.tg.RetryDelivery.Handle(ctx, application.RetryDelivery{Actor: staff, ID: d.ID}))
		eventually(t, "the retried delivery is done", func() bool {
			return w.deliveries()[0].Status == application.DeliveryDone
		})
		assert.Len(t, n.Sent(), 1)
		page, err = w.tg.ListDeliveries.Handle(ctx, application.ListDeliveries{Actor: staff})
		require.NoError(t, err)
		assert.Empty(t, page.Deliveries, "nothing needs attention any more")
	})

	t.Run("after 24 hours of failures", func(t *testing.T) {
		w := newWorld(t)
		staff := w.user("staff", domain.RoleStaff)
		tk := w.ticket(w.linkedUser("alice", 7), "Down")
		n := &fakeNotifier{fail: func(int, sentNote) error { return errors.New("502 Bad Gateway") }}
		w.dispatcher(n, delivery.Config{BackoffMin: time.Millisecond, BackoffMax: time.Millisecond})
		w.setStatus(staff, tk, "closed")
		eventually(t, "a few attempts", func() bool { return len(n.Calls()) >= 3 })
		assert.Equal(t, application.DeliveryPending, w.deliveries()[0].Status)
		w.clock.Advance(24 * time.Hour)
		eventually(t, "the delivery failed", func() bool { return w.deliveries()[0].Status == application.DeliveryFailed })
		assert.Contains(t, w.deliveries()[0].LastError, "gave up after 24h0m0s: 502 Bad Gateway")
	})

	t.Run("a blocked chat is unlinked", func(t *testing.T) {
		w := newWorld(t)
		staff := w.user("staff", domain.RoleStaff)
		alice := w.linkedUser("alice", 7)
		tk := w.ticket(alice, "Blocked")
		n := &fakeNotifier{fail: func(int, sentNote) error {
			return fmt.Errorf("Forbidden: bot was blocked by the user: %w", application.ErrChatBlocked)
		}}
		w.dispatcher(n, delivery.Config{})
		w.setStatus(staff, tk, "in_progress")
		eventually(t, "the delivery failed", func() bool {
			ds := w.deliveries()
			return len(ds) == 1 && ds[0].Status == application.DeliveryFailed
		})
		assert.Contains(t, w.deliveries()[0].LastError, "chat 7 unlinked")
		_, linked := w.reload(alice).TelegramChatID()
		assert.False(t, linked)

		w.setStatus(staff, tk, "closed")
		eventually(t, "the next one is skipped", func() bool {
			ds := w.deliveries()
			return len(ds) == 2 && ds[1].Status == application.DeliveryDone
		})
		assert.Equal(t, "skipped: telegram not linked", w.deliveries()[1].Note)
		assert.Len(t, n.Calls(), 1)
	})
}

func TestDispatcherKeepsOrderPerChat(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	alice := w.linkedUser("alice", 1)
	bob := w.linkedUser("bob", 2)
	ta, tb := w.ticket(alice, "A"), w.ticket(bob, "B")

	// Alice's first message fails twice; the rest of hers must wait for it,
	// while Bob's go on.
	n := &fakeNotifier{fail: func(call int, s sentNote) error {
		if s.Chat == 1 && s.N.Status == "in_progress" && call < 4 {
			return errors.New("timeout")
		}
		return nil
	}}
	for _, st := range []string{"in_progress", "closed", "open"} {
		w.setStatus(staff, ta, st)
		w.setStatus(staff, tb, st)
	}
	w.dispatcher(n, delivery.Config{BackoffMin: 20 * time.Millisecond, BackoffMax: 20 * time.Millisecond})
	eventually(t, "all six sent", func() bool { return len(n.Sent()) == 6 })
	var toAlice, toBob []string
	for _, s := range n.Sent() {
		if s.Chat == 1 {
			toAlice = append(toAlice, s.N.Status)
		} else {
			toBob = append(toBob, s.N.Status)
		}
	}
	assert.Equal(t, []string{"in_progress", "closed", "open"}, toAlice)
	assert.Equal(t, []string{"in_progress", "closed", "open"}, toBob)
}

func TestDispatcherSendsOneMessageOfAChatAtATime(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.linkedUser("alice", 1), "A")
	gate := make(chan struct{})
	n := &fakeNotifier{gate: gate}
	w.dispatcher(n, delivery.Config{})
	w.setStatus(staff, tk, "in_progress")
	w.setStatus(staff, tk, "closed")
	eventually(t, "the first is in flight", func() bool { return len(n.Calls()) == 1 })
	// Let several rounds pass: the second must not start meanwhile.
	for range 5 {
		w.dispatcherRoundsPass(t)
	}
	assert.Len(t, n.Calls(), 1, "the second waits for the first")
	close(gate)
	eventually(t, "both sent", func() bool { return len(n.Sent()) == 2 })
	assert.Equal(t, "in_progress", n.Sent()[0].N.Status)
}

func TestTwoDispatchersNeverSendTwice(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	var tickets []*domain.Ticket
	for i := range 10 {
		tickets = append(tickets, w.ticket(w.linkedUser(fmt.Sprintf("user%d", i), int64(100+i)), "T"))
	}
	n := &fakeNotifier{}
	w.dispatcher(n, delivery.Config{Workers: 3})
	w.dispatcher(n, delivery.Config{Workers: 3})
	for _, tk := range tickets {
		w.setStatus(staff, tk, "in_progress")
		w.setStatus(staff, tk, "closed")
	}
	eventually(t, "all done", func() bool {
		ds := w.deliveries()
		for _, d := range ds {
			if d.Status != application.DeliveryDone {
				return false
			}
		}
		return len(ds) == 20
	})
	assert.Len(t, n.Calls(), 20, "no delivery made twice")
}

func TestDispatcherStoppedWithWorkPendingLeavesItForTheNextOne(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.linkedUser("alice", 1), "A")
	n1 := &fakeNotifier{fail: func(int, sentNote) error { return errors.New("down") }}
	d1 := delivery.NewDispatcher(w.outbox, w.clock, discardLog(),
		delivery.Config{PollInterval: 10 * time.Millisecond, BackoffMin: time.Hour, BackoffMax: time.Hour},
		application.NewNotifyOwner(w.store.Users, n1, ""))
	require.NoError(t, d1.Start(context.Background()))
	w.setStatus(staff, tk, "closed")
	eventually(t, "one failed attempt", func() bool { return len(n1.Calls()) == 1 })
	require.NoError(t, d1.Stop(context.Background()))

	// A new process on the same storage, an hour later.
	w.clock.Advance(time.Hour)
	n2 := &fakeNotifier{}
	w.dispatcher(n2, delivery.Config{})
	eventually(t, "delivered by the new one", func() bool { return len(n2.Sent()) == 1 })
}

func TestDispatcherMovesItsCursor(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.linkedUser("alice", 1), "A")
	n := &fakeNotifier{}
	w.dispatcher(n, delivery.Config{CommitWindow: time.Millisecond})
	w.setStatus(staff, tk, "in_progress")
	eventually(t, "sent", func() bool { return len(n.Sent()) == 1 })
	last, err := w.outbox.LastEventID(context.Background())
	require.NoError(t, err)
	eventually(t, "the cursor passed the event", func() bool {
		c, err := w.outbox.Cursor(context.Background(), application.NotifyOwnerName)
		return err == nil && c >= last
	})
	w.setStatus(staff, tk, "closed")
	eventually(t, "the next event is still seen", func() bool { return len(n.Sent()) == 2 })
}

func TestDispatcherSpacesTheMessagesOfAKey(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.linkedUser("alice", 1), "A")
	skippedTk := w.ticket(w.user("bob", domain.RoleUser), "B") // not linked: skipped, never held
	n := &fakeNotifier{}
	const interval = 150 * time.Millisecond
	w.dispatcher(n, delivery.Config{KeyInterval: interval})
	for _, st := range []string{"in_progress", "closed", "open"} {
		w.setStatus(staff, tk, st)
		w.setStatus(staff, skippedTk, st)
	}
	eventually(t, "three sent", func() bool { return len(n.Sent()) == 3 })
	sent := n.Sent()
	for i := 1; i < len(sent); i++ {
		assert.GreaterOrEqual(t, sent[i].At.Sub(sent[i-1].At), interval-10*time.Millisecond)
	}
}

func TestDispatcherAbandonsAnAttemptBeforeItsLeaseEnds(t *testing.T) {
	w := newWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	tk := w.ticket(w.linkedUser("alice", 1), "Slow")
	var calls atomic.Int64
	n := &fakeNotifier{fail: func(call int, _ sentNote) error { return nil }}
	slow := notifierFunc(func(ctx context.Context, chat int64, note application.Notification) error {
		if calls.Add(1) == 1 {
			<-ctx.Done() // Telegram hangs
			return ctx.Err()
		}
		return n.Notify(ctx, chat, note)
	})
	w.dispatcher(slow, delivery.Config{Lease: 200 * time.Millisecond})
	w.setStatus(staff, tk, "closed")
	eventually(t, "sent by the second attempt", func() bool { return len(n.Sent()) == 1 })
	assert.Equal(t, int64(2), calls.Load(), "never two attempts at once")
	eventually(t, "done", func() bool { return w.deliveries()[0].Status == application.DeliveryDone })
	assert.Equal(t, 2, w.deliveries()[0].Attempts)
}
