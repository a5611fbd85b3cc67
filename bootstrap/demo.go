package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"crm/application"
	"crm/domain"
)

// demoAccount is one account of the demo data set.
type demoAccount struct {
	username, password string
	role               domain.Role
}

var demoAccounts = []demoAccount{
	{"superuser", "superuser", domain.RoleAdmin},
	{"test_user", "user_test", domain.RoleUser},
	{"staff_user", "user_staff", domain.RoleStaff},
}

// demoTickets are test_user's three tickets.
var demoTickets = []struct{ title, text, typ string }{
	{"Пропал звук", "После обновления на телефоне пропал звук в динамике. Наушники работают.", "repair"},
	{"Экран часов", "Нужно заменить защитное стекло на экране часов.", "service"},
	{"Компенсация", "Хочу узнать, положена ли компенсация за задержку ремонта.", "consultation"},
}

// loadDemo idempotently adds the demo accounts and test_user's tickets. The
// demo passwords break the password policy on purpose (they are the ones the
// original product documented), so the accounts are written directly.
func loadDemo(ctx context.Context, users application.Users, tickets application.Tickets,
	hasher application.PasswordHasher, clock application.Clock, out io.Writer) error {
	for _, a := range demoAccounts {
		if _, err := users.GetByUsername(ctx, a.username); err == nil {
			fmt.Fprintf(out, "user %s already exists\n", a.username)
			continue
		} else if !errors.Is(err, domain.ErrUserNotFound) {
			return fmt.Errorf("look up %s: %w", a.username, err)
		}
		hash, err := hasher.Hash(ctx, a.password)
		if err != nil {
			return err
		}
		u, err := domain.NewUser(a.username, hash, a.role, clock.Now())
		if err != nil {
			return err
		}
		if err := users.Add(ctx, u); err != nil && !errors.Is(err, domain.ErrUsernameTaken) {
			return fmt.Errorf("add %s: %w", a.username, err)
		}
		fmt.Fprintf(out, "user %s (%s) created\n", a.username, a.role)
	}
	owner, err := users.GetByUsername(ctx, "test_user")
	if err != nil {
		return fmt.Errorf("look up test_user: %w", err)
	}
	page, err := tickets.Search(ctx, application.TicketFilter{OwnerID: owner.ID(), Page: application.Page{Limit: 1}})
	if err != nil {
		return fmt.Errorf("count test_user's tickets: %w", err)
	}
	if page.Total > 0 {
		fmt.Fprintf(out, "test_user already has %d tickets\n", page.Total)
		return nil
	}
	for _, d := range demoTickets {
		t, err := domain.NewTicket(owner, d.title, d.text, d.typ, clock.Now())
		if err != nil {
			return err
		}
		t.StartTargets(domain.DefaultSLAPolicy(t.Type())) // as SubmitTicket would with no targets set
		if err := tickets.Add(ctx, t); err != nil {
			return fmt.Errorf("add demo ticket: %w", err)
		}
		fmt.Fprintf(out, "ticket #%d %q created\n", t.ID(), d.title)
	}
	return nil
}

// Load data: every bulk user's password, how many staff members handle the
// tickets, the generator's seed, and how many tickets go to storage at once.
const (
	demoLoadPassword  = "load_password"
	demoStaffCount    = 5
	demoSeed          = 1
	demoBatchSize     = 2000
	demoProgressEvery = 100_000
)

// ticketBulkAdder is a ticket store that inserts many tickets in one call,
// with their history and comments and without events, and sets their ids.
type ticketBulkAdder interface {
	AddMany(ctx context.Context, ts []*domain.Ticket) error
}

// bulkWriters is a store that says how many writes a load had best run at
// once (sqlstore.Tickets.BulkWriters); a store that does not say gets one.
type bulkWriters interface{ BulkWriters() int }

func writersOf(tickets application.Tickets) int {
	if b, ok := tickets.(bulkWriters); ok {
		return max(1, b.BulkWriters())
	}
	return 1
}

// loadBulk adds synthetic users and tickets for load tests: nUsers users
// named load_user_N and demoStaffCount staff named load_staff_N, all with
// the password "load_password" (existing ones are reused), then nTickets
// tickets from demoGenerator, owned in turn by the users. The one password
// hash is computed once, so thousands of users load fast; tickets go in
// batches through AddMany when the store has it, else one Add each.
func loadBulk(ctx context.Context, users application.Users, tickets application.Tickets,
	hasher application.PasswordHasher, clock application.Clock, nUsers, nTickets int, out io.Writer) error {
	if nUsers <= 0 && nTickets > 0 {
		nUsers = 1
	}
	hash, err := hasher.Hash(ctx, demoLoadPassword)
	if err != nil {
		return err
	}
	writers := writersOf(tickets)
	owners, created, err := ensureLoadUsers(ctx, users, "load_user_%d", nUsers, domain.RoleUser, hash, clock.Now(), writers)
	if err != nil {
		return err
	}
	staff, createdStaff, err := ensureLoadUsers(ctx, users, "load_staff_%d", demoStaffCount, domain.RoleStaff, hash, clock.Now(), writers)
	if err != nil {
		return err
	}
	if nTickets > 0 {
		if err := addLoadTickets(ctx, tickets, owners, staff, clock.Now(), nTickets, out); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "load data: %d users (%d new), %d staff (%d new), %d tickets added\n",
		len(owners), created, len(staff), createdStaff, max(nTickets, 0))
	return nil
}

// ensureLoadUsers returns the users named by format and 1…n, adding those
// that do not exist yet with hash and role, and how many it added; writers
// add them at once (each user is a transaction of its own, and a database
// with several writers commits theirs together).
func ensureLoadUsers(ctx context.Context, users application.Users, format string, n int,
	role domain.Role, hash string, now time.Time, writers int) ([]*domain.User, int, error) {
	out := make([]*domain.User, max(n, 0))
	var created atomic.Int64
	err := inParallel(ctx, len(out), writers, func(ctx context.Context, i int) error {
		name := fmt.Sprintf(format, i+1)
		u, err := users.GetByUsername(ctx, name)
		if errors.Is(err, domain.ErrUserNotFound) {
			u, err = domain.NewUser(name, hash, role, now)
			if err == nil {
				err = users.Add(ctx, u)
				created.Add(1)
			}
		}
		if err != nil {
			return fmt.Errorf("user %s: %w", name, err)
		}
		out[i] = u
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, int(created.Load()), nil
}

// inParallel calls f for 0…n-1, from writers goroutines at once (at least
// one), and returns the first error, after which no new call starts and
// f's context is cancelled.
func inParallel(ctx context.Context, n, writers int, f func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, writers) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				if err := f(ctx, i); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx) // nil unless a call failed or ctx ended
}

// addLoadTickets stores n generated tickets in batches of demoBatchSize,
// as many batches at once as the store's BulkWriters, printing progress
// every demoProgressEvery tickets.
func addLoadTickets(ctx context.Context, tickets application.Tickets, owners, staff []*domain.User,
	now time.Time, n int, out io.Writer) error {
	gen, err := newDemoGenerator(demoSeed, n, owners, staff, now)
	if err != nil {
		return err
	}
	add, writers := func(ctx context.Context, ts []*domain.Ticket) error {
		for _, t := range ts {
			if err := tickets.Add(ctx, t); err != nil {
				return err
			}
		}
		return nil
	}, 1
	if b, ok := tickets.(ticketBulkAdder); ok {
		add, writers = b.AddMany, writersOf(tickets)
	}
	// The next batches are generated while the database stores these.
	type batch struct {
		first   int // the number of its first ticket, from 1
		tickets []*domain.Ticket
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, writers)
	go func() {
		defer close(batches)
		for done := 0; done < n; {
			b := batch{first: done + 1, tickets: make([]*domain.Ticket, min(demoBatchSize, n-done))}
			for i := range b.tickets {
				b.tickets[i] = gen.next()
			}
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
			done += len(b.tickets)
		}
	}()
	var (
		mu   sync.Mutex
		done int
	)
	// writers writers, each storing batches until none is left.
	err = inParallel(ctx, writers, writers, func(ctx context.Context, _ int) error {
		for b := range batches {
			if ctx.Err() != nil { // another batch failed: take no more
				return context.Cause(ctx)
			}
			if err := add(ctx, b.tickets); err != nil {
				return fmt.Errorf("add load tickets %d–%d: %w", b.first, b.first+len(b.tickets)-1, err)
			}
			mu.Lock()
			before := done
			done += len(b.tickets)
			if done < n && done/demoProgressEvery > before/demoProgressEvery {
				fmt.Fprintf(out, "load data: %d of %d tickets\n", done-done%demoProgressEvery, n)
			}
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if done < n {
		return fmt.Errorf("add load tickets: stopped after %d of %d: %w", done, n, context.Cause(ctx))
	}
	return nil
}
