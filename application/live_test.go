package application_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
)

func TestLiveEventForTellsOnlyThoseWhoMaySeeTheTicket(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	stranger := e.user(t, "stranger", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	ticket := func(payload string) application.OutboxEvent {
		return application.OutboxEvent{ID: 7, Kind: "ticket.x", Stream: "ticket:12", Payload: []byte(payload)}
	}
	mine := fmt.Sprintf(`{"owner_id":%d}`, owner.ID())
	note := fmt.Sprintf(`{"owner_id":%d,"internal":true}`, owner.ID())
	for _, c := range []struct {
		name   string
		viewer *domain.User
		event  application.OutboxEvent
		want   bool
	}{
		{"the owner of their ticket", owner, ticket(mine), true},
		{"a stranger of someone else's ticket", stranger, ticket(mine), false},
		{"staff of any ticket", staff, ticket(mine), true},
		{"the owner of an internal note", owner, ticket(note), false},
		{"staff of an internal note", staff, ticket(note), true},
		{"the owner of a kind that names no owner", owner, ticket(`{"ticket_id":12}`), false},
		{"staff of a kind that names no owner", staff, ticket(`{}`), true},
		{"the owner of a payload that does not decode", owner, ticket(`not json`), false},
		{"staff of a user event", staff, application.OutboxEvent{ID: 8, Kind: domain.KindUserRoleChanged, Stream: "user:3", Payload: []byte(`{}`)}, false},
		{"nobody", nil, ticket(mine), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := application.LiveEventFor(c.viewer, c.event)
			assert.Equal(t, c.want, ok)
			if ok {
				assert.Equal(t, application.LiveEvent{ID: 7, Kind: "ticket.x", TicketID: 12, Own: c.viewer == owner}, got)
			}
		})
	}
}

// A merge changes two tickets: its event names the one the duplicate went
// into, so that the page of that ticket updates too.
func TestALiveMergeEventNamesTheTicketItWentInto(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	payload := fmt.Sprintf(`{"ticket_id":12,"into_id":9,"owner_id":%d}`, owner.ID())
	got, ok := application.LiveEventFor(owner, application.OutboxEvent{
		ID: 7, Kind: domain.KindTicketMerged, Stream: "ticket:12", Payload: []byte(payload)})
	require.True(t, ok)
	assert.Equal(t, application.LiveEvent{ID: 7, Kind: domain.KindTicketMerged, TicketID: 12, IntoID: 9, Own: true}, got)
}

// startFeed starts a feed over the env's events; it stops with the test.
func startFeed(t *testing.T, e *env, cfg application.LiveFeedConfig) *application.LiveFeed {
	t.Helper()
	if cfg.Poll == 0 {
		cfg.Poll = time.Hour // only Wake reads: the test decides when
	}
	f := application.NewLiveFeed(e.store.Events, cfg)
	require.NoError(t, f.Start(e.ctx))
	t.Cleanup(func() { require.NoError(t, f.Stop(context.Background())) })
	return f
}

// caughtUp waits (bounded) until f has read every stored event.
func caughtUp(t *testing.T, e *env, f *application.LiveFeed) {
	t.Helper()
	last, err := e.store.Events.LastEventID(e.ctx)
	require.NoError(t, err)
	f.Wake()
	deadline := time.Now().Add(5 * time.Second)
	for f.LastID() < last {
		require.True(t, time.Now().Before(deadline), "the feed did not catch up")
		time.Sleep(time.Millisecond) // polls the condition
	}
}

// nextLive waits (bounded) for the stream's next events.
func nextLive(t *testing.T, s *application.LiveStream) ([]application.LiveEvent, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	events, reload, err := s.Next(ctx)
	require.NoError(t, err)
	return events, reload
}

func TestLiveFeedHandsEachStreamWhatItMaySee(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	stranger := e.user(t, "stranger", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	f := startFeed(t, e, application.LiveFeedConfig{})
	ownerStream, strangerStream, staffStream := f.Subscribe(owner, 0), f.Subscribe(stranger, 0), f.Subscribe(staff, 0)

	tk := e.ticket(t, owner, "Boiler")
	require.NoError(t, e.AddComment.Handle(e.ctx, application.AddComment{Actor: staff, TicketID: tk.ID(), Text: "note", Internal: true}))
	require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: staff, TicketID: tk.ID(), Status: "in_progress"}))
	theirs := e.ticket(t, stranger, "Theirs")
	f.Wake()

	got, _ := nextLive(t, ownerStream)
	assert.Equal(t, []string{domain.KindTicketSubmitted, domain.KindTicketStatusChanged}, kinds(got), "no internal note")
	got, _ = nextLive(t, staffStream)
	assert.Equal(t, []string{domain.KindTicketSubmitted, domain.KindCommentAdded, domain.KindTicketStatusChanged, domain.KindTicketSubmitted}, kinds(got))
	got, _ = nextLive(t, strangerStream)
	require.Len(t, got, 1)
	assert.Equal(t, theirs.ID(), got[0].TicketID, "only their own ticket")
}

func kinds(events []application.LiveEvent) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Kind)
	}
	return out
}

func TestLiveFeedResumesAfterAnEventReplayingOlderOnesFromStorage(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	f := startFeed(t, e, application.LiveFeedConfig{Keep: 2, MaxReplay: 100})
	tk := e.ticket(t, owner, "Boiler")
	for _, s := range []string{"in_progress", "closed", "open", "closed"} {
		require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: staff, TicketID: tk.ID(), Status: s}))
	}
	caughtUp(t, e, f)
	all, _ := nextLive(t, f.Subscribe(staff, 1))
	require.Len(t, all, 4, "the status changes after the submission, event 1")
	submitted := all[0].ID - 1

	// The feed keeps 2 events; the stream resumes 5 back, from storage.
	got, reload := nextLive(t, f.Subscribe(owner, submitted))
	assert.False(t, reload)
	require.Len(t, got, 4, "the four status changes after the submission, none twice")
	for i := 1; i < len(got); i++ {
		assert.Greater(t, got[i].ID, got[i-1].ID)
	}
}

func TestLiveFeedTellsAStreamTooFarBehindToReload(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	f := startFeed(t, e, application.LiveFeedConfig{Keep: 1, MaxReplay: 2})
	for i := range 4 {
		e.ticket(t, owner, fmt.Sprint("ticket ", i))
	}
	caughtUp(t, e, f)
	staff := e.user(t, "staff", domain.RoleStaff)
	s := f.Subscribe(staff, 1)
	events, reload := nextLive(t, s)
	assert.True(t, reload)
	assert.Empty(t, events)
	assert.Equal(t, f.LastID(), s.Cursor(), "it goes on from now")
}

func TestLiveFeedClosesEveryStream(t *testing.T) {
	e := newEnv(t)
	staff := e.user(t, "staff", domain.RoleStaff)
	f := startFeed(t, e, application.LiveFeedConfig{})
	s := f.Subscribe(staff, 0)
	f.Close()
	_, _, err := s.Next(t.Context())
	assert.ErrorIs(t, err, application.ErrLiveClosed)
}

func TestAddCommentIsHeldBackWhenSomeoneElseCommentedMeanwhile(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	tk := e.ticket(t, owner, "Boiler")
	add := func(by *domain.User, text string, internal, check bool, seen int64) error {
		return e.AddComment.Handle(e.ctx, application.AddComment{Actor: by, TicketID: tk.ID(), Text: text,
			Internal: internal, CheckSeen: check, SeenUpTo: seen})
	}
	newest := func() int64 {
		cs := e.stored(t, tk.ID()).Comments()
		return cs[len(cs)-1].ID
	}
	require.NoError(t, add(owner, "first", false, true, 0), "nothing new since the page")
	first := newest()
	require.NoError(t, add(owner, "mine again", false, true, 0), "one's own comments do not count")

	err := add(staff, "reply", false, true, first)
	assert.ErrorIs(t, err, application.ErrCommentedMeanwhile, "the owner wrote again after the page staff saw")
	assert.Len(t, e.stored(t, tk.ID()).Comments(), 2, "the held-back reply was not saved")
	require.NoError(t, add(staff, "reply", false, true, newest()), "seen up to the newest: saved")

	seen := newest()
	require.NoError(t, add(staff, "a note", true, false, 0))
	require.NoError(t, add(owner, "after a note", false, true, seen), "an internal note does not count for the owner")
	require.ErrorIs(t, add(staff, "another", false, true, seen), application.ErrCommentedMeanwhile)
	require.NoError(t, add(staff, "another", false, false, 0), "a form without seen is not checked")
}

func TestTicketPresenceIsForStaffOnly(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	anna := e.user(t, "anna", domain.RoleStaff)
	boris := e.user(t, "boris", domain.RoleAdmin)
	p := application.NewTicketPresence(memory.NewPresence(), e.clock)

	assert.ErrorIs(t, p.Enter(e.ctx, owner, 1, "o"), domain.ErrForbidden)
	_, err := p.Others(e.ctx, owner, 1)
	assert.ErrorIs(t, err, domain.ErrForbidden)

	require.NoError(t, p.Enter(e.ctx, anna, 1, "a1"))
	require.NoError(t, p.Enter(e.ctx, anna, 1, "a2"))
	require.NoError(t, p.Enter(e.ctx, boris, 1, "b"))
	others, err := p.Others(e.ctx, boris, 1)
	require.NoError(t, err)
	assert.Equal(t, []string{"anna"}, others, "each once, never oneself")

	e.clock.Advance(application.PresenceTTL + time.Second)
	require.NoError(t, p.Enter(e.ctx, boris, 1, "b"))
	others, err = p.Others(e.ctx, boris, 1)
	require.NoError(t, err)
	assert.Empty(t, others, "a page not refreshed within the TTL has left")
}

// gappyEvents is a LiveEvents whose events the test adds in any id order,
// as concurrent PostgreSQL transactions commit them.
type gappyEvents struct {
	mu     sync.Mutex
	events []application.OutboxEvent
}

func (g *gappyEvents) add(id int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.events = append(g.events, application.OutboxEvent{ID: id, Kind: "ticket.x", Stream: "ticket:1", Payload: []byte(`{}`)})
	slices.SortFunc(g.events, func(a, b application.OutboxEvent) int { return cmp.Compare(a.ID, b.ID) })
}

func (g *gappyEvents) LastEventID(context.Context) (int64, error) { return 0, nil }

func (g *gappyEvents) EventsAfter(_ context.Context, after int64, limit int) ([]application.OutboxEvent, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []application.OutboxEvent
	for _, e := range g.events {
		if e.ID > after && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func ids(events []application.LiveEvent) []int64 {
	var out []int64
	for _, e := range events {
		out = append(out, e.ID)
	}
	return out
}

// Event 3 committed before event 2: the feed holds 3 back until 2 comes,
// so that no stream passes over 2; a gap that never fills (a rolled-back
// insert) holds events back for GapWait only.
func TestLiveFeedWaitsForAnEventCommittedLate(t *testing.T) {
	e := newEnv(t)
	staff := e.user(t, "staff", domain.RoleStaff)
	g := &gappyEvents{}
	f := application.NewLiveFeed(g, application.LiveFeedConfig{Poll: time.Hour, GapWait: time.Hour})
	require.NoError(t, f.Start(e.ctx))
	t.Cleanup(func() { require.NoError(t, f.Stop(context.Background())) })
	s := f.Subscribe(staff, 0)

	g.add(1)
	g.add(3)
	f.Wake()
	got, _ := nextLive(t, s)
	assert.Equal(t, []int64{1}, ids(got))
	g.add(2)
	f.Wake()
	got, _ = nextLive(t, s)
	assert.Equal(t, []int64{2, 3}, ids(got))

	quick := application.NewLiveFeed(g, application.LiveFeedConfig{Poll: time.Hour, GapWait: 20 * time.Millisecond})
	require.NoError(t, quick.Start(e.ctx))
	t.Cleanup(func() { require.NoError(t, quick.Stop(context.Background())) })
	s = quick.Subscribe(staff, 0)
	g.add(5) // 4 never comes
	quick.Wake()
	var all []int64
	for len(all) < 4 {
		got, _ = nextLive(t, s) // fails the test if 5 never comes
		all = append(all, ids(got)...)
	}
	assert.Equal(t, []int64{1, 2, 3, 5}, all, "passed on once the wait is over")
}
