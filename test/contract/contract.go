// Package contract is the behaviour every storage adapter of the
// application's ports must have: one suite per port, written once. An
// adapter runs every suite by giving Run one constructor, a Factory that
// returns all of its ports over one empty storage; memory, SQLite and
// PostgreSQL do so in their own tests.
package contract

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// Store is one backend's ports, sharing one storage, so that the events the
// repositories store show in the EventLog and reach the Outbox.
type Store struct {
	Users          application.Users
	Tickets        application.Tickets
	Attachments    application.Attachments // the files Tickets keeps
	Files          application.Files
	Sessions       application.Sessions
	Events         application.EventLog
	LinkTokens     application.LinkTokens
	Outbox         Outbox
	APITokens      application.APITokens
	PasswordResets application.PasswordResets
	TwoFactors     application.TwoFactors
	BotChats       application.BotChats
	SavedReplies   application.SavedReplies
	// Live and Presence serve the live pages (GET /events).
	Live        application.LiveEvents
	Presence    application.Presence
	SLAPolicies application.SLAPolicies
	Reports     application.Reports
}

// Outbox is the dispatcher's port and the staff's view of the deliveries,
// which one adapter type serves.
type Outbox interface {
	application.Outbox
	application.Deliveries
}

// Factory returns an empty Store for one test and arranges its cleanup.
type Factory func(t *testing.T) Store

// Run runs every port's suite against the backend newStore gives.
func Run(t *testing.T, newStore Factory) {
	for _, suite := range []struct {
		name string
		run  func(*testing.T, Factory)
	}{
		{"Users", Users},
		{"Tickets", Tickets},
		{"Ratings", Ratings},
		{"Merges", Merges},
		{"Reports", Reports},
		{"Targets", Targets},
		{"Search", Search},
		{"Files", Files},
		{"Sessions", Sessions},
		{"EventLog", EventLog},
		{"Deliveries", Deliveries},
		{"LinkTokens", LinkTokens},
		{"APITokens", APITokens},
		{"PasswordResets", PasswordResets},
		{"TwoFactors", TwoFactors},
		{"BotChats", BotChats},
		{"SavedReplies", SavedReplies},
		{"LiveEvents", LiveEvents},
		{"Presence", Presence},
	} {
		t.Run(suite.name, func(t *testing.T) { suite.run(t, newStore) })
	}
}

// errBoom is what a failing Update function returns.
var errBoom = errors.New("boom")

// addUser stores a new user named name with role.
func addUser(t *testing.T, s Store, name string, role domain.Role) *domain.User {
	t.Helper()
	u, err := domain.NewUser(name, "hash of "+name, role, base)
	require.NoError(t, err)
	require.NoError(t, s.Users.Add(t.Context(), u))
	require.NotZero(t, u.ID())
	return u
}

// addTicket stores a new ticket of owner.
func addTicket(t *testing.T, s Store, owner *domain.User, title, text string, typ domain.TicketType, now time.Time) *domain.Ticket {
	t.Helper()
	tk, err := domain.NewTicket(owner, title, text, typ.String(), now)
	require.NoError(t, err)
	require.NoError(t, s.Tickets.Add(t.Context(), tk))
	require.NotZero(t, tk.ID())
	return tk
}

// update applies fn to the stored ticket id, which must succeed.
func update(t *testing.T, s Store, id int64, fn func(tk *domain.Ticket) error) {
	t.Helper()
	require.NoError(t, s.Tickets.Update(t.Context(), id, fn))
}

// get reads the stored ticket id.
func get(t *testing.T, s Store, id int64) *domain.Ticket {
	t.Helper()
	tk, err := s.Tickets.Get(t.Context(), id)
	require.NoError(t, err)
	return tk
}

// events returns every stored event of the given kinds, newest first.
func events(t *testing.T, s Store, kinds ...string) []domain.StoredEvent {
	t.Helper()
	var all []domain.StoredEvent
	before := int64(0)
	for {
		page, err := s.Events.ListEvents(t.Context(), kinds, before, application.MaxPageSize)
		require.NoError(t, err)
		all = append(all, page...)
		if len(page) < application.MaxPageSize {
			return all
		}
		before = page[len(page)-1].ID
	}
}

// kindsOf lists the kinds of events, in order.
func kindsOf(events []domain.StoredEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Kind
	}
	return out
}

// runConcurrently runs fn n times at once and returns every error.
func runConcurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// ctx is a shorthand for the test's context.
func ctx(t *testing.T) context.Context { return t.Context() }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
