package bootstrap

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"crm/adapters/argon2"
	"crm/adapters/web"
)

// setting is one configuration variable: its name, default and how it is
// stored. The table is the single place that knows the names.
type setting struct {
	env   string
	flag  string
	def   string
	usage string
	set   func(c *Config, v string) error
}

var settings = []setting{
	{"CRM_ADDR", "addr", "127.0.0.1:8080", "listen address", func(c *Config, v string) error {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return fmt.Errorf("want host:port, e.g. 127.0.0.1:8080")
		}
		c.Addr = v
		return nil
	}},
	{"CRM_DATABASE_URL", "database-url", "", "sqlite:PATH or postgres://… (default sqlite:crm.db)", func(c *Config, v string) error {
		loc, err := ParseDatabaseURL(v)
		if err != nil {
			return err
		}
		c.DatabaseURL, c.Database = v, loc
		return nil
	}},
	{"CRM_TELEGRAM_TOKEN", "telegram-token", "", "Telegram bot token (unset: Telegram off)", func(c *Config, v string) error {
		c.TelegramToken = strings.TrimSpace(v)
		return nil
	}},
	{"CRM_TELEGRAM_API_URL", "telegram-api-url", "https://api.telegram.org", "Telegram Bot API base URL", func(c *Config, v string) error {
		if !isHTTPURL(v) {
			return fmt.Errorf("want an http(s) URL such as https://api.telegram.org")
		}
		c.TelegramAPIURL = strings.TrimRight(v, "/")
		return nil
	}},
	{"CRM_TELEGRAM_MODE", "telegram-mode", "polling", "polling or webhook", func(c *Config, v string) error {
		if v != "polling" && v != "webhook" {
			return fmt.Errorf("want polling or webhook")
		}
		c.TelegramMode = v
		return nil
	}},
	{"CRM_TELEGRAM_WEBHOOK_SECRET", "telegram-webhook-secret", "", "secret Telegram sends with webhook calls", func(c *Config, v string) error {
		if !webhookSecretPattern.MatchString(v) {
			return fmt.Errorf("want 1 to 256 of A-Z a-z 0-9 _ - (Telegram's rule)")
		}
		c.TelegramWebhookSecret = v
		return nil
	}},
	{"CRM_TELEGRAM_RATE", "telegram-rate", "25", "Telegram messages per second, all chats together", func(c *Config, v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 1000 {
			return fmt.Errorf("want a number of messages per second above 0, e.g. 25")
		}
		c.TelegramRatePerSecond = f
		return nil
	}},
	{"CRM_TELEGRAM_CHAT_INTERVAL", "telegram-chat-interval", "1s", "least time between two messages to one chat", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("want a duration such as 1s")
		}
		c.TelegramChatInterval = d
		return nil
	}},
	{"CRM_PUBLIC_URL", "public-url", "", "public base URL, e.g. https://crm.example.com", func(c *Config, v string) error {
		if v != "" && !isHTTPURL(v) {
			return fmt.Errorf("want an absolute http(s) URL such as https://crm.example.com")
		}
		c.PublicURL = strings.TrimRight(v, "/")
		return nil
	}},
	{"CRM_WEBHOOK_URL", "webhook-url", "", "URL that every event is posted to (unset: no webhooks)", func(c *Config, v string) error {
		if v != "" && !isHTTPURL(v) {
			return fmt.Errorf("want an absolute http(s) URL such as https://hooks.example.com/crm")
		}
		c.WebhookURL = v
		return nil
	}},
	{"CRM_WEBHOOK_SECRET", "webhook-secret", "", "secret to sign outbound webhooks", func(c *Config, v string) error {
		c.WebhookSecret = v
		return nil
	}},
	{"CRM_LOG_FORMAT", "log-format", "text", "text or json", func(c *Config, v string) error {
		if v != "text" && v != "json" {
			return fmt.Errorf("want text or json")
		}
		c.LogFormat = v
		return nil
	}},
	{"CRM_LOG_LEVEL", "log-level", "info", "debug, info, warn or error", func(c *Config, v string) error {
		return c.LogLevel.UnmarshalText([]byte(v))
	}},
	{"CRM_ARGON2_PARAMS", "argon2-params", argon2.DefaultParams.String(), "argon2id costs of new password hashes: m=KiB,t=passes,p=threads", func(c *Config, v string) error {
		p, err := argon2.ParseParams(v)
		if err != nil {
			return err
		}
		c.Argon2 = p
		return nil
	}},
	{"CRM_HASH_QUEUE", "hash-queue", strconv.Itoa(argon2.DefaultQueue), "password hashes that may wait for a free slot before logins answer 503", func(c *Config, v string) error {
		n, err := wholeNumber(v, 0, 10000)
		c.HashQueue = n
		return err
	}},
	{"CRM_REQUIRE_2FA", "require-2fa", "", "staff: two-factor sign-in is mandatory for staff and admins (unset: optional)", func(c *Config, v string) error {
		if v != "" && v != "staff" {
			return fmt.Errorf("want staff, or leave it unset")
		}
		c.Require2FA = v
		return nil
	}},
	{"CRM_TRUSTED_PROXIES", "trusted-proxies", "", "proxies whose X-Forwarded-For names the client: addresses or CIDRs, comma-separated (unset: none)", func(c *Config, v string) error {
		ps, err := ParseTrustedProxies(v)
		if err != nil {
			return err
		}
		c.TrustedProxies = ps
		return nil
	}},
	{"CRM_LOGIN_RATE", "login-rate", strconv.Itoa(web.DefaultLoginAttemptsPerMinute), "logins and sign-ups one client address may try a minute", func(c *Config, v string) error {
		n, err := wholeNumber(v, 1, 1_000_000)
		c.LoginAttemptsPerMinute = n
		return err
	}},
	{"CRM_READ_CONCURRENCY", "read-concurrency", "", "GET requests served at once, the others waiting in line (0: no limit; unset: SQLite's connections, or 4 per CPU on PostgreSQL)", func(c *Config, v string) error {
		if v == "" {
			c.ReadConcurrency = readConcurrencyAuto
			return nil
		}
		n, err := wholeNumber(v, 0, 100_000)
		c.ReadConcurrency = n
		return err
	}},
	{"CRM_ATTACHMENT_MAX_BYTES", "attachment-max-bytes", strconv.Itoa(defaultAttachmentMaxBytes), "largest file a ticket or comment may carry, in bytes", func(c *Config, v string) error {
		// A file is held in memory once while it is checked and stored, so
		// the ceiling is a gigabyte.
		n, err := wholeNumber(v, 1, 1<<30)
		c.AttachmentMaxBytes = int64(n)
		return err
	}},
	{"CRM_ATTACHMENT_MAX_FILES", "attachment-max-files", strconv.Itoa(defaultAttachmentMaxFiles), "files one ticket or comment may carry", func(c *Config, v string) error {
		n, err := wholeNumber(v, 1, 100)
		c.AttachmentMaxFiles = n
		return err
	}},
}

// The attachment limits asked for with files: 10 MiB holds a phone photo or
// a scanned receipt, and five of them make a message.
const (
	defaultAttachmentMaxBytes = 10 << 20
	defaultAttachmentMaxFiles = 5
)

// wholeNumber reads v as a whole number from lo to hi.
func wholeNumber(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("want a whole number from %d to %d", lo, hi)
	}
	return n, nil
}

// ParseTrustedProxies reads CRM_TRUSTED_PROXIES: addresses ("10.0.0.7",
// "::1") and CIDR blocks ("10.0.0.0/8"), separated by commas or spaces; ""
// is none. An error names the first entry that is neither.
func ParseTrustedProxies(v string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("%q is not a CIDR block such as 10.0.0.0/8", s)
			}
			if p.Addr().Is4In6() && p.Bits() >= 96 {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is not an IP address such as 10.0.0.7 or a CIDR block such as 10.0.0.0/8", s)
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

// isHTTPURL reports whether v is an absolute http or https URL.
func isHTTPURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// webhookSecretPattern is what Telegram accepts as a webhook secret_token
// (or nothing, when the webhook is not used).
var webhookSecretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{0,256}$`)
