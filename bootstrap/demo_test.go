package bootstrap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/argon2"
	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
)

// fixedClock is the clock of the demo tests.
type fixedClock struct{}

func (fixedClock) Now() time.Time { return demoTestNow }

// countingBulk is the memory store, counting its AddMany calls. With
// writers > 1 it says so (BulkWriters), and its first call returns only
// once a second one has begun: a loader that stored one batch at a time
// would wait in vain.
type countingBulk struct {
	*memory.Tickets
	writers int

	mu             sync.Mutex
	calls, largest int
	inFlight, most int
	second         chan struct{} // closed when a second call begins
}

func (c *countingBulk) BulkWriters() int { return c.writers }

func (c *countingBulk) AddMany(ctx context.Context, ts []*domain.Ticket) error {
	c.mu.Lock()
	c.calls++
	call := c.calls
	c.largest = max(c.largest, len(ts))
	c.inFlight++
	c.most = max(c.most, c.inFlight)
	if call == 2 && c.second != nil {
		close(c.second)
	}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inFlight--
		c.mu.Unlock()
	}()
	if call == 1 && c.second != nil {
		select {
		case <-c.second:
		case <-time.After(10 * time.Second):
			return errors.New("no second batch was stored while the first was")
		}
	}
	return c.Tickets.AddMany(ctx, ts)
}

// oneByOne is the memory store without AddMany.
type oneByOne struct{ application.Tickets }

func TestLoadBulk(t *testing.T) {
	const nUsers, nTickets = 7, 4500
	cases := map[string]struct {
		tickets   func(*memory.Store) application.Tickets
		wantCalls int // of AddMany; -1: not counted
		wantMost  int // AddMany calls at once
	}{
		"in batches through AddMany": {
			tickets:   func(s *memory.Store) application.Tickets { return &countingBulk{Tickets: s.Tickets} },
			wantCalls: 3, wantMost: 1,
		},
		"two batches at once where the store says so": {
			tickets: func(s *memory.Store) application.Tickets {
				return &countingBulk{Tickets: s.Tickets, writers: 2, second: make(chan struct{})}
			},
			wantCalls: 3, wantMost: 2,
		},
		"one Add each without AddMany": {
			tickets:   func(s *memory.Store) application.Tickets { return oneByOne{s.Tickets} },
			wantCalls: -1,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			store := memory.NewStore()
			tickets := c.tickets(store)
			hasher := argon2.New(testArgon2, 1, 8)
			var out bytes.Buffer
			require.NoError(t, loadBulk(ctx, store.Users, tickets, hasher, fixedClock{}, nUsers, nTickets, &out))

			if cb, ok := tickets.(*countingBulk); ok {
				assert.Equal(t, c.wantCalls, cb.calls)
				assert.Equal(t, demoBatchSize, cb.largest)
				assert.Equal(t, c.wantMost, cb.most, "AddMany calls at once")
			}
			assert.Equal(t, fmt.Sprintf("load data: %d users (%d new), %d staff (%d new), %d tickets added\n",
				nUsers, nUsers, demoStaffCount, demoStaffCount, nTickets), out.String())

			// The accounts the benchmark logs in as, and the staff.
			for i := 1; i <= nUsers; i++ {
				u, err := store.Users.GetByUsername(ctx, fmt.Sprintf("load_user_%d", i))
				require.NoError(t, err)
				assert.Equal(t, domain.RoleUser, u.Role())
				assert.True(t, verifies(t, hasher, u.PasswordHash(), "load_password"))
				page, err := store.Tickets.Search(ctx, application.TicketFilter{OwnerID: u.ID(), Page: application.Page{Limit: 1}})
				require.NoError(t, err)
				assert.Positive(t, page.Total, "%s has tickets", u.Username())
			}
			staffIDs := map[int64]bool{}
			for i := 1; i <= demoStaffCount; i++ {
				u, err := store.Users.GetByUsername(ctx, fmt.Sprintf("load_staff_%d", i))
				require.NoError(t, err)
				assert.Equal(t, domain.RoleStaff, u.Role())
				assert.True(t, verifies(t, hasher, u.PasswordHash(), "load_password"))
				staffIDs[u.ID()] = true
			}

			// Every ticket stored, of every status, with history and
			// comments, and no events to notify anyone of.
			all, err := store.Tickets.Search(ctx, application.TicketFilter{Page: application.Page{Limit: 1}})
			require.NoError(t, err)
			assert.Equal(t, nTickets, all.Total)
			for _, s := range domain.Statuses() {
				assert.Positive(t, all.ByStatus[s], "status %s", s)
			}
			unassigned, err := store.Tickets.Search(ctx, application.TicketFilter{AssigneeID: application.Unassigned, Page: application.Page{Limit: 1}})
			require.NoError(t, err)
			assert.Positive(t, unassigned.Total, "unassigned tickets")
			assert.Less(t, unassigned.Total, nTickets, "assigned tickets")
			var histories, comments int
			for id := int64(1); id <= nTickets; id++ {
				tk, err := store.Tickets.Get(ctx, id)
				require.NoError(t, err)
				for _, h := range tk.History() {
					assert.NotZero(t, h.ID)
					assert.True(t, staffIDs[h.ByID], "history by load staff")
					histories++
				}
				for _, c := range tk.Comments() {
					assert.NotZero(t, c.ID)
					comments++
				}
			}
			assert.Positive(t, histories)
			assert.Positive(t, comments)
			events, err := store.Events.ListEvents(ctx, []string{domain.KindTicketSubmitted, domain.KindTicketStatusChanged,
				domain.KindTicketAssigned, domain.KindCommentAdded}, 0, 10)
			require.NoError(t, err)
			assert.Empty(t, events)

			// Again: the users are reused, the tickets added once more.
			out.Reset()
			require.NoError(t, loadBulk(ctx, store.Users, tickets, hasher, fixedClock{}, nUsers, nTickets, &out))
			assert.Contains(t, out.String(), fmt.Sprintf("%d users (0 new), %d staff (0 new)", nUsers, demoStaffCount))
			all, err = store.Tickets.Search(ctx, application.TicketFilter{Page: application.Page{Limit: 1}})
			require.NoError(t, err)
			assert.Equal(t, 2*nTickets, all.Total)
		})
	}
}

func TestLoadBulkWithoutUsersMakesOne(t *testing.T) {
	ctx := context.Background()
	store := memory.NewStore()
	var out bytes.Buffer
	require.NoError(t, loadBulk(ctx, store.Users, store.Tickets, argon2.New(testArgon2, 1, 8), fixedClock{}, 0, 10, &out))
	u, err := store.Users.GetByUsername(ctx, "load_user_1")
	require.NoError(t, err)
	page, err := store.Tickets.Search(ctx, application.TicketFilter{OwnerID: u.ID(), Page: application.Page{Limit: 1}})
	require.NoError(t, err)
	assert.Equal(t, 10, page.Total)
}

// failingBulk is the memory store whose AddMany fails from its second call
// on, with writers batches at once.
type failingBulk struct {
	*memory.Tickets
	writers int
	mu      sync.Mutex
	calls   int
}

func (f *failingBulk) BulkWriters() int { return f.writers }

func (f *failingBulk) AddMany(ctx context.Context, ts []*domain.Ticket) error {
	f.mu.Lock()
	f.calls++
	call := f.calls
	f.mu.Unlock()
	if call >= 2 {
		return errors.New("disk full")
	}
	return f.Tickets.AddMany(ctx, ts)
}

// A batch that fails ends the load with an error naming its tickets, one
// batch at a time or two at once, and the load returns (the generator and
// the other writer stop).
func TestLoadBulkStopsAtAFailedBatch(t *testing.T) {
	for _, writers := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d at once", writers), func(t *testing.T) {
			store := memory.NewStore()
			tickets := &failingBulk{Tickets: store.Tickets, writers: writers}
			var out bytes.Buffer
			err := loadBulk(t.Context(), store.Users, tickets, argon2.New(testArgon2, 1, 8), fixedClock{}, 3, 10*demoBatchSize, &out)
			require.Error(t, err)
			assert.ErrorContains(t, err, "disk full")
			assert.Regexp(t, `add load tickets \d+–\d+: disk full`, err.Error())
			tickets.mu.Lock()
			defer tickets.mu.Unlock()
			// The batch stored, the failed one, and those begun beside it.
			assert.LessOrEqual(t, tickets.calls, 1+writers, "no batch begun after the failure")
		})
	}
}
