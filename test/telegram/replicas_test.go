package telegram_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/delivery"
	"crm/adapters/postgres"
	"crm/application"
	"crm/domain"
)

func TestRestartWithAMessagePending(t *testing.T) {
	for name, newBackend := range map[string]func(*testing.T) backend{"sqlite": sqliteBackend, "postgres": postgresBackend} {
		t.Run(name, func(t *testing.T) {
			sc := newScenario(t, newBackend(t))
			old := sc.start(processConfig{noPoller: true})
			staff := sc.user("staff_user", domain.RoleStaff)
			tk := sc.ticket(sc.linkedUser("alice", 1001), "Restart")
			require.NoError(t, old.client.Connect(t.Context()))

			sc.srv.SetDown(true)
			old.setStatus(staff, tk, "in_progress")
			sc.srv.WaitForRequests(t, "sendMessage", 1, wait)
			old.stop()
			assert.Equal(t, application.DeliveryPending, sc.deliveries()[0].Status)
			sc.srv.SetDown(false)

			next := sc.start(processConfig{noPoller: true})
			sc.srv.WaitForSent(t, 1, wait)
			assert.Equal(t, application.DeliveryDone, sc.settled(1)[0].Status)
			next.roundsPass(3)
			assert.Len(t, sc.srv.Sent(), 1)
		})
	}
}

func TestTwoReplicasNeverSendTwice(t *testing.T) {
	sc := newScenario(t, postgresBackend(t))
	replicas := []*process{sc.start(processConfig{noPoller: true}), sc.start(processConfig{noPoller: true})}
	staff := sc.user("staff_user", domain.RoleStaff)
	var tickets []*domain.Ticket
	for i := range 10 {
		tickets = append(tickets, sc.ticket(sc.linkedUser(fmt.Sprintf("user%d", i), int64(3000+i)), "T"))
	}
	for i, st := range []string{"in_progress", "closed", "open"} {
		for j, tk := range tickets {
			replicas[(i+j)%2].setStatus(staff, tk, st)
		}
	}
	sc.srv.WaitForSent(t, 30, wait)
	sc.settled(30)
	replicas[0].roundsPass(3)
	replicas[1].roundsPass(3)
	assert.Len(t, sc.srv.Sent(), 30, "no message sent twice")
	for i := range tickets {
		got := texts(sc.srv.SentTo(int64(3000 + i)))
		require.Len(t, got, 3)
		assert.Contains(t, got[0], "“In progress”")
		assert.Contains(t, got[1], "“Closed”")
		assert.Contains(t, got[2], "“Open”")
	}
	assert.Zero(t, sc.srv.Count429())
}

func TestAChangeOnAnotherReplicaWakesTheDispatcher(t *testing.T) {
	b := postgresBackend(t)
	sc := newScenario(t, b)
	// This replica's dispatcher would not look for a minute by itself.
	idle := sc.start(processConfig{noPoller: true, noWake: true,
		dispatcher: delivery.Config{PollInterval: time.Minute}})
	listener := postgres.NewEventListener(b.url, idle.dispatcher, logTo(t))
	require.NoError(t, listener.Start(t.Context()))
	t.Cleanup(func() { require.NoError(t, listener.Stop(context.Background())) })
	idle.roundsPass(2) // the first round, and the listener's wake once it listens

	staff := sc.user("staff_user", domain.RoleStaff)
	tk := sc.ticket(sc.linkedUser("alice", 1001), "Elsewhere")
	// Another replica, without a dispatcher, that tells the others of its
	// commits as a served one does.
	db, err := postgres.Open(t.Context(), b.url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	notifier := postgres.NewEventNotifier(db.DB, logTo(t))
	require.NoError(t, notifier.Start(t.Context()))
	t.Cleanup(func() { require.NoError(t, notifier.Stop(context.Background())) })
	other := application.NewChangeStatusHandler(application.WakeOnTicketWrites(sc.db.tickets, notifier), sc.clock)
	changed := time.Now()
	require.NoError(t, other.Handle(t.Context(), application.ChangeStatus{Actor: staff, TicketID: tk.ID(), Status: "closed"}))
	sent := sc.srv.WaitForSent(t, 1, wait)[0]
	assert.Less(t, sent.At.Sub(changed), time.Second)
}

func TestTwoPollersNeverPollAtOnce(t *testing.T) {
	b := postgresBackend(t)
	sc := newScenario(t, b)
	first := sc.start(processConfig{})
	sc.srv.WaitUntil(t, wait, "the first replica polls", func() bool { return sc.srv.ActivePolls() == 1 })
	sc.start(processConfig{}) // stands by
	for i := range 3 {
		sc.srv.SendText(1001, "alice", "/help")
		sc.srv.WaitForSent(t, i+1, wait)
	}

	first.stop()
	stopped := time.Now()
	sc.srv.SendText(1001, "alice", "/help")
	sc.srv.WaitForSent(t, 4, 30*time.Second)
	t.Logf("taken over in %v", time.Since(stopped))

	assert.Equal(t, 1, sc.srv.MaxConcurrentPolls(), "never two polls at once")
	assert.Zero(t, sc.srv.Conflicts())
}

func TestAPollerThatLosesItsLockStops(t *testing.T) {
	b := postgresBackend(t)
	sc := newScenario(t, b)
	sc.start(processConfig{})
	sc.srv.WaitUntil(t, wait, "the first replica polls", func() bool { return sc.srv.ActivePolls() == 1 })
	sc.start(processConfig{})
	sc.srv.SendText(1001, "alice", "/help")
	sc.srv.WaitForSent(t, 1, wait)

	// The holder's database session dies (a network cut, a DBA); the
	// process lives on. Advisory locks are per database, and other tests'
	// databases on the same server hold the same key: pick this one's. PostgreSQL frees the lock; the holder must notice
	// and stop polling before the other replica starts.
	conn, err := pgx.Connect(t.Context(), b.url)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var killed int
	require.NoError(t, conn.QueryRow(t.Context(), `SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = 1
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, 0x43524d).Scan(&killed))
	require.Equal(t, 1, killed, "one session held the poll lock")

	sc.srv.SendText(1001, "alice", "/help")
	sc.srv.WaitForSent(t, 2, 30*time.Second)
	assert.Equal(t, 1, sc.srv.MaxConcurrentPolls(), "never two polls at once")
	assert.Zero(t, sc.srv.Conflicts())
}
