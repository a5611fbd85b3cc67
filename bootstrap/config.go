// Package bootstrap is the composition root: it reads the configuration,
// wires the adapters to the ports with fx, and runs the command line.
// Nothing else in the module knows fx or the concrete adapters.
package bootstrap

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"crm/adapters/argon2"
)

// Config is every setting of the process, read once from the CRM_*
// environment variables (a command-line flag of the same name overrides).
type Config struct {
	Addr        string
	DatabaseURL string
	Database    DatabaseLocation

	TelegramToken         string
	TelegramAPIURL        string
	TelegramMode          string // polling or webhook
	TelegramWebhookSecret string
	TelegramRatePerSecond float64 // messages per second, all chats together
	TelegramChatInterval  time.Duration

	PublicURL string

	WebhookURL    string
	WebhookSecret string

	LogFormat string // text or json
	LogLevel  slog.Level

	// Argon2 are the costs of new password hashes; tests lower them.
	Argon2 argon2.Params
	// HashQueue is how many password hashes may wait for a free slot;
	// beyond it a login or sign-up answers 503.
	HashQueue int

	// Require2FA is "staff" when staff and admins must sign in with a
	// second factor, "" when it is everyone's choice.
	Require2FA string
	// TrustedProxies are the proxies whose X-Forwarded-For is believed
	// (CRM_TRUSTED_PROXIES); none by default.
	TrustedProxies []netip.Prefix
	// LoginAttemptsPerMinute is how many logins and sign-ups one client
	// address may try a minute (CRM_LOGIN_RATE).
	LoginAttemptsPerMinute int
	// ReadConcurrency is how many GET requests run at once, the others
	// waiting in line (CRM_READ_CONCURRENCY); 0: no limit;
	// readConcurrencyAuto: chosen for the database (see readConcurrency).
	ReadConcurrency int

	// AttachmentMaxBytes is the largest file a message may carry
	// (CRM_ATTACHMENT_MAX_BYTES); AttachmentMaxFiles how many files one
	// message may carry (CRM_ATTACHMENT_MAX_FILES).
	AttachmentMaxBytes int64
	AttachmentMaxFiles int
}

// DatabaseLocation is CRM_DATABASE_URL understood.
type DatabaseLocation struct {
	Dialect string // "sqlite" or "postgres"
	// DSN is the file path for SQLite, the URL for PostgreSQL.
	DSN string
}

// LoadConfig reads the configuration from getenv and the flags in args
// (which it consumes; the rest is returned). A bad value is an error naming
// the variable.
func LoadConfig(getenv func(string) string, fs *flag.FlagSet, args []string) (Config, []string, error) {
	var c Config
	values := make(map[string]*string, len(settings))
	for _, s := range settings {
		v := getenv(s.env)
		if v == "" {
			v = s.def
		}
		values[s.env] = fs.String(s.flag, v, s.usage+" ("+s.env+")")
	}
	// Flags and words may come in any order ("user create --username x"):
	// parse, keep the first word, parse the rest again.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return Config{}, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	var errs []error
	for _, s := range settings {
		if err := s.set(&c, *values[s.env]); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", s.env, redactIfSecret(s.env, *values[s.env]), err))
		}
	}
	if c.Database.Dialect == "" {
		c.Database = DatabaseLocation{Dialect: "sqlite", DSN: "crm.db"}
	}
	if c.WebhookURL != "" && c.WebhookSecret == "" {
		errs = append(errs, errors.New("CRM_WEBHOOK_SECRET: required when CRM_WEBHOOK_URL is set"))
	}
	if c.TelegramToken != "" && c.TelegramMode == "webhook" {
		if c.PublicURL == "" {
			errs = append(errs, errors.New("CRM_PUBLIC_URL: required when CRM_TELEGRAM_MODE=webhook"))
		}
		if c.TelegramWebhookSecret == "" {
			errs = append(errs, errors.New("CRM_TELEGRAM_WEBHOOK_SECRET: required when CRM_TELEGRAM_MODE=webhook"))
		}
	}
	if len(errs) > 0 {
		return Config{}, nil, errors.Join(errs...)
	}
	return c, positional, nil
}

// redactIfSecret keeps secrets out of error messages and logs.
func redactIfSecret(name, v string) string {
	if strings.Contains(name, "TOKEN") || strings.Contains(name, "SECRET") {
		return "…"
	}
	if strings.HasSuffix(name, "_URL") {
		// URLs may carry a password (databases) or a token in the path or
		// query (webhook receivers): show where, not how.
		u, err := url.Parse(v)
		if err != nil {
			return v
		}
		if name == "CRM_DATABASE_URL" {
			// The password may stand in the user part or, as libpq
			// allows, in the query; a socket URL has no host.
			if q := u.Query(); q.Has("password") {
				q.Set("password", "xxxxx")
				u.RawQuery = q.Encode()
			}
			return u.Redacted()
		}
		if u.Host == "" {
			return v
		}
		return u.Scheme + "://" + u.Host + "/…"
	}
	return v
}

// ParseDatabaseURL understands "" (SQLite in crm.db), sqlite:PATH,
// sqlite://PATH, and postgres:// or postgresql:// URLs, naming a host or,
// in the query as libpq does (host=/run/postgresql), the directory of a
// server's Unix socket.
func ParseDatabaseURL(v string) (DatabaseLocation, error) {
	switch {
	case v == "":
		return DatabaseLocation{Dialect: "sqlite", DSN: "crm.db"}, nil
	case strings.HasPrefix(v, "sqlite://"):
		return sqlitePath(strings.TrimPrefix(v, "sqlite://"))
	case strings.HasPrefix(v, "sqlite:"):
		return sqlitePath(strings.TrimPrefix(v, "sqlite:"))
	case strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"):
		u, err := url.Parse(v)
		if err != nil || (u.Host == "" && u.Query().Get("host") == "") {
			return DatabaseLocation{}, fmt.Errorf("want postgres://user@host:port/database " +
				"(or postgres://user@/database?host=/run/postgresql for a Unix socket)")
		}
		return DatabaseLocation{Dialect: "postgres", DSN: v}, nil
	default:
		return DatabaseLocation{}, fmt.Errorf("want sqlite:PATH or postgres://user@host:port/database")
	}
}

func sqlitePath(p string) (DatabaseLocation, error) {
	if p == "" {
		return DatabaseLocation{}, fmt.Errorf("sqlite: needs a file path, e.g. sqlite:crm.db")
	}
	return DatabaseLocation{Dialect: "sqlite", DSN: p}, nil
}
