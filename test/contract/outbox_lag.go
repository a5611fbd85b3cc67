package contract

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// OldestPending is the port GET /metrics reads the outbox lag from; the
// Outbox of every storage adapter serves it.
type OldestPending interface {
	OldestPendingAt(ctx context.Context) (time.Time, error)
}

// OutboxLag is the contract of OldestPendingAt: when the oldest event with
// a pending delivery, of any handler, was stored; the zero time when none
// is pending. Events without a delivery yet and deliveries done or failed
// do not count.
func OutboxLag(t *testing.T, newStore Factory) {
	s := newStore(t)
	ctx := t.Context()
	lag, ok := s.Outbox.(OldestPending)
	require.True(t, ok, "%T has OldestPendingAt", s.Outbox)
	oldest := func() time.Time {
		t.Helper()
		got, err := lag.OldestPendingAt(ctx)
		require.NoError(t, err)
		return got
	}
	assert.True(t, oldest().IsZero(), "no events")

	owner := addUser(t, s, "lag_owner", domain.RoleUser)
	staff := addUser(t, s, "lag_staff", domain.RoleStaff)
	tk := addTicket(t, s, owner, "Kettle", "Broken", domain.MustParseTicketType("repair"), at(0))
	for i, to := range []domain.Status{domain.StatusInProgress, domain.StatusClosed} {
		require.NoError(t, s.Tickets.Update(ctx, tk.ID(), func(t *domain.Ticket) error {
			return t.ChangeStatus(staff, to, "", at(10*(i+1)))
		}))
	}
	events, err := s.Outbox.EventsWithoutDelivery(ctx, "notify",
		[]string{domain.KindTicketSubmitted, domain.KindTicketStatusChanged}, 0, 10)
	require.NoError(t, err)
	require.Len(t, events, 3) // at 0, 10 and 20 minutes
	assert.True(t, oldest().IsZero(), "events without deliveries are not pending")

	add := func(handler string, e application.OutboxEvent, status application.DeliveryStatus) {
		t.Helper()
		require.NoError(t, s.Outbox.AddDeliveries(ctx, []application.NewDelivery{{
			EventID: e.ID, Handler: handler, Key: "user:1", Status: status, At: at(30),
		}}))
	}
	add("notify", events[0], application.DeliveryDone)
	add("webhook", events[0], application.DeliveryFailed)
	assert.True(t, oldest().IsZero(), "done and failed are not pending")

	add("notify", events[2], application.DeliveryPending)
	assertTime(t, at(20), oldest())
	add("webhook", events[1], application.DeliveryPending)
	assertTime(t, at(10), oldest(), "the oldest event, whatever its handler")

	claimed, err := s.Outbox.ClaimDeliveries(ctx, "r1", at(40), at(41), 10)
	require.NoError(t, err)
	require.Len(t, claimed, 2)
	assertTime(t, at(10), oldest(), "a leased delivery is still pending")
	for _, c := range claimed {
		if c.EventID == events[1].ID {
			require.NoError(t, s.Outbox.RecordAttempt(ctx, c.ID, "r1",
				application.Attempt{Status: application.DeliveryDone, At: at(40)}))
		}
	}
	assertTime(t, at(20), oldest(), "once delivered it no longer counts")
}
