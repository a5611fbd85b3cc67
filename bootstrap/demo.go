package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"

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
		hash, err := hasher.Hash(a.password)
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
		if err := tickets.Add(ctx, t); err != nil {
			return fmt.Errorf("add demo ticket: %w", err)
		}
		fmt.Fprintf(out, "ticket #%d %q created\n", t.ID(), d.title)
	}
	return nil
}

// loadBulk adds synthetic users and tickets for load tests. Users are named
// load_user_N with the password "load_password"; existing ones are reused.
// The one password hash is computed once, so thousands of users load fast.
func loadBulk(ctx context.Context, users application.Users, tickets application.Tickets,
	hasher application.PasswordHasher, clock application.Clock, nUsers, nTickets int, out io.Writer) error {
	if nUsers <= 0 && nTickets > 0 {
		nUsers = 1
	}
	hash, err := hasher.Hash("load_password")
	if err != nil {
		return err
	}
	owners := make([]*domain.User, 0, nUsers)
	created := 0
	for i := 1; i <= nUsers; i++ {
		name := fmt.Sprintf("load_user_%d", i)
		u, err := users.GetByUsername(ctx, name)
		if errors.Is(err, domain.ErrUserNotFound) {
			u, err = domain.NewUser(name, hash, domain.RoleUser, clock.Now())
			if err == nil {
				err = users.Add(ctx, u)
				created++
			}
		}
		if err != nil {
			return fmt.Errorf("user %s: %w", name, err)
		}
		owners = append(owners, u)
	}
	types := domain.TicketTypes
	for i := 0; i < nTickets; i++ {
		owner := owners[i%len(owners)]
		t, err := domain.NewTicket(owner, fmt.Sprintf("Load ticket %d", i+1),
			fmt.Sprintf("Synthetic request number %d from %s.", i+1, owner.Username()),
			types[i%len(types)].String(), clock.Now())
		if err != nil {
			return err
		}
		if err := tickets.Add(ctx, t); err != nil {
			return fmt.Errorf("add load ticket: %w", err)
		}
	}
	fmt.Fprintf(out, "load data: %d users (%d new), %d tickets added\n", len(owners), created, nTickets)
	return nil
}
