package bootstrap

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.uber.org/fx"

	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
)

// Main runs the command line with the process's arguments, streams and
// environment, and exits with its status.
func Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Run runs one command and returns the exit status: 0 success, 1 failure,
// 2 bad usage.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("crm "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage, "\nFlags:\n")
		fs.PrintDefaults()
	}
	var username, role, tokenName string
	var nTickets, nUsers int
	switch cmd {
	case "user":
		fs.StringVar(&username, "username", "", "the account's username")
		fs.StringVar(&role, "role", "user", "user, staff or admin")
	case "token":
		fs.StringVar(&username, "username", "", "the account's username")
		fs.StringVar(&tokenName, "name", "", "a label for the new token (default \""+application.APITokenDefaultName+"\")")
	case "demo":
		fs.IntVar(&nTickets, "tickets", 0, "synthetic tickets to add (every status and type, with history and comments)")
		fs.IntVar(&nUsers, "users", 0, "synthetic users load_user_1…M owning the tickets (at least 1 with --tickets)")
	case "serve", "migrate", "backup":
	case "help", "-h", "--help":
		fs.Usage()
		return 0
	default:
		fmt.Fprintf(stderr, "crm: unknown command %q\n\n", cmd)
		fs.Usage()
		return 2
	}
	c, rest, err := LoadConfig(getenv, fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "crm: configuration: %v\n", err)
		return 2
	}
	if err := checkTextArgs(username, tokenName, rest); err != nil {
		fmt.Fprintf(stderr, "crm %s: %s\n", cmd, describe(err))
		return 1
	}
	log := NewLogger(c, stderr)

	switch cmd {
	case "serve":
		err = serve(ctx, c, log)
	case "migrate":
		err = runMigrate(c, log, rest, stdout)
	case "backup":
		err = runBackup(ctx, c, rest, stdout)
	case "user":
		err = runUser(ctx, c, log, rest, username, role, stdin, stdout)
	case "token":
		err = runToken(ctx, c, log, rest, username, tokenName, stdout)
	case "demo":
		err = runWithApp(c, log, func(d cliDeps) error {
			if err := loadDemo(ctx, d.Users, d.Tickets, d.Hasher, d.Clock, stdout); err != nil {
				return err
			}
			if nTickets <= 0 && nUsers <= 0 {
				return nil
			}
			if err := loadBulk(ctx, d.Users, d.Tickets, d.Hasher, d.Clock, nUsers, nTickets, stdout); err != nil {
				return err
			}
			// A bulk load leaves SQLite's search index in several
			// segments; searches are cheapest over one.
			m, err := d.Store.MergeSearchIndex(ctx)
			if err != nil {
				return err
			}
			if m.Steps > 0 {
				fmt.Fprintf(stdout, "load data: search index merged from %d segments\n", m.Segments)
			}
			return d.Store.SettleBulkLoad(ctx)
		})
	}
	var usageErr usageError
	switch {
	case errors.As(err, &usageErr):
		fmt.Fprintf(stderr, "crm %s: %v\n", cmd, err)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "crm %s: %s\n", cmd, describe(err))
		return 1
	}
	return 0
}

// describe turns validation errors into words an operator understands.
func describe(err error) string {
	if v, ok := domain.AsValidation(err); ok {
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = fmt.Sprintf("%s is %s", e.Field, strings.ReplaceAll(e.Code, "_", " "))
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

// cliDeps is what the maintenance commands use.
type cliDeps struct {
	fx.In
	Storage *Storage
	Store   *sqlstore.Store
	App     *application.App
	Users   application.Users
	Tickets application.Tickets
	Hasher  application.PasswordHasher
	Clock   application.Clock
	// TwoFactor is two-factor sign-in, for user reset-2fa.
	TwoFactor *application.TwoFactorApp
}

// runWithApp builds the core graph, makes sure the schema is current, runs
// fn, and closes everything.
func runWithApp(c Config, log *slog.Logger, fn func(cliDeps) error) error {
	var d cliDeps
	app := fx.New(coreOptions(c, log), fx.Populate(&d))
	if err := app.Err(); err != nil {
		return err
	}
	defer func() { _ = app.Stop(context.Background()) }()
	if err := d.Storage.MigrateUp(); err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return fn(d)
}

func runMigrate(c Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return usageError{"want one of: up, down, version"}
	}
	var s *Storage
	app := fx.New(coreOptions(c, log), fx.Populate(&s))
	if err := app.Err(); err != nil {
		return err
	}
	defer func() { _ = app.Stop(context.Background()) }()
	switch args[0] {
	case "up":
		if err := s.MigrateUp(); err != nil {
			return err
		}
	case "down":
		if err := s.MigrateDown(); err != nil {
			return err
		}
	case "version":
	default:
		return usageError{fmt.Sprintf("unknown migrate action %q; want up, down or version", args[0])}
	}
	v, dirty, err := s.Version()
	if err != nil {
		return err
	}
	state := ""
	if dirty {
		state = " (dirty: a migration failed half-way; fix it by hand, then force the version)"
	}
	fmt.Fprintf(stdout, "schema version %d%s\n", v, state)
	return nil
}

func runUser(ctx context.Context, c Config, log *slog.Logger, args []string, username, role string,
	stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{"want one of: create, role, password, reset-2fa"}
	}
	switch args[0] {
	case "create":
		if username == "" {
			return usageError{"user create needs --username NAME"}
		}
		password, err := readPassword(stdin)
		if err != nil {
			return err
		}
		return runWithApp(c, log, func(d cliDeps) error {
			u, err := d.App.CreateUser.Handle(ctx, application.CreateUser{Username: username, Password: password, Role: role})
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "user %s (%s) created with id %d\n", u.Username(), u.Role(), u.ID())
			return nil
		})
	case "role":
		if len(args) != 3 {
			return usageError{"want: crm user role NAME user|staff|admin"}
		}
		return runWithApp(c, log, func(d cliDeps) error {
			u, err := d.Users.GetByUsername(ctx, args[1])
			if err != nil {
				return fmt.Errorf("%s: %w", args[1], err)
			}
			if err := d.App.ChangeRole.Handle(ctx, application.ChangeRole{UserID: u.ID(), Role: args[2]}); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "user %s is now %s\n", u.Username(), args[2])
			return nil
		})
	case "password":
		if len(args) != 2 {
			return usageError{"want: crm user password NAME (new password on standard input)"}
		}
		password, err := readPassword(stdin)
		if err != nil {
			return err
		}
		return runWithApp(c, log, func(d cliDeps) error {
			if err := d.App.SetPassword.Handle(ctx, application.SetPassword{Username: args[1], Password: password}); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "password of %s changed; their sessions and API tokens have ended\n", args[1])
			return nil
		})
	case "reset-2fa":
		if len(args) != 2 {
			return usageError{"want: crm user reset-2fa NAME"}
		}
		return runWithApp(c, log, func(d cliDeps) error {
			had, err := d.TwoFactor.Reset.Handle(ctx, application.ResetTwoFactor{Username: args[1]})
			if err != nil {
				return fmt.Errorf("%s: %w", args[1], err)
			}
			if !had {
				fmt.Fprintf(stdout, "%s had no two-factor sign-in; nothing changed\n", args[1])
				return nil
			}
			fmt.Fprintf(stdout, "two-factor sign-in of %s is off; they log in with their password (and enrol again where it is required)\n", args[1])
			return nil
		})
	default:
		return usageError{fmt.Sprintf("unknown user action %q; want create, role, password or reset-2fa", args[0])}
	}
}

func runToken(ctx context.Context, c Config, log *slog.Logger, args []string, username, name string, stdout io.Writer) error {
	if len(args) != 1 {
		return usageError{"want one of: create, list, revoke"}
	}
	if username == "" {
		return usageError{"token " + args[0] + " needs --username NAME"}
	}
	switch args[0] {
	case "create":
		return runWithApp(c, log, func(d cliDeps) error {
			issued, err := d.App.IssueAPIToken.Handle(ctx, application.IssueAPIToken{Username: username, Name: name})
			if err != nil {
				return fmt.Errorf("%s: %w", username, err)
			}
			fmt.Fprintf(stdout, "API token %d (%q) created for %s (%s). It is shown only this once; keep it secret:\n",
				issued.APIToken.ID, issued.APIToken.Name, issued.User.Username(), issued.User.Role())
			fmt.Fprintln(stdout, issued.Token)
			return nil
		})
	case "list":
		return runWithApp(c, log, func(d cliDeps) error {
			tokens, err := d.App.ListAPITokens.Handle(ctx, application.ListAPITokens{Username: username})
			if err != nil {
				return fmt.Errorf("%s: %w", username, err)
			}
			if len(tokens) == 0 {
				fmt.Fprintf(stdout, "%s has no API tokens\n", username)
				return nil
			}
			for _, t := range tokens {
				used := "never used"
				if !t.LastUsedAt.IsZero() {
					used = "last used " + t.LastUsedAt.Format(time.RFC3339)
				}
				fmt.Fprintf(stdout, "%d\t%q\tcreated %s\t%s\n", t.ID, t.Name, t.CreatedAt.Format(time.RFC3339), used)
			}
			return nil
		})
	case "revoke":
		return runWithApp(c, log, func(d cliDeps) error {
			n, err := d.App.RevokeAPITokens.Handle(ctx, application.RevokeAPITokens{Username: username})
			if err != nil {
				return fmt.Errorf("%s: %w", username, err)
			}
			fmt.Fprintf(stdout, "revoked %d API token(s) of %s\n", n, username)
			return nil
		})
	default:
		return usageError{fmt.Sprintf("unknown token action %q; want create, list or revoke", args[0])}
	}
}
