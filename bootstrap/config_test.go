package bootstrap

import (
	"flag"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func load(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c, _, err := LoadConfig(func(k string) string { return env[k] }, fs, args)
	return c, err
}

func TestConfigDefaults(t *testing.T) {
	c, err := load(t, nil)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8080", c.Addr)
	assert.Equal(t, DatabaseLocation{Dialect: "sqlite", DSN: "crm.db"}, c.Database)
	assert.Equal(t, "https://api.telegram.org", c.TelegramAPIURL)
	assert.Equal(t, "polling", c.TelegramMode)
	assert.Equal(t, "text", c.LogFormat)
	assert.Empty(t, c.TelegramToken)
	assert.InDelta(t, 25.0, c.TelegramRatePerSecond, 0)
}

func TestConfigDatabaseURLs(t *testing.T) {
	cases := map[string]DatabaseLocation{
		"sqlite:data/crm.db":                       {"sqlite", "data/crm.db"},
		"sqlite:///var/lib/crm.db":                 {"sqlite", "/var/lib/crm.db"},
		"postgres://crm@db:5432/crm":               {"postgres", "postgres://crm@db:5432/crm"},
		"postgresql://crm@db/crm?sslmode=disable":  {"postgres", "postgresql://crm@db/crm?sslmode=disable"},
		"postgres://crm@/crm?host=/run/postgresql": {"postgres", "postgres://crm@/crm?host=/run/postgresql"},
	}
	for url, want := range cases {
		t.Run(url, func(t *testing.T) {
			c, err := load(t, map[string]string{"CRM_DATABASE_URL": url})
			require.NoError(t, err)
			assert.Equal(t, want, c.Database)
		})
	}
}

func TestConfigDatabaseURLWithoutHostOrSocket(t *testing.T) {
	for _, url := range []string{"postgres:///crm", "postgres://crm@/crm?sslmode=disable"} {
		t.Run(url, func(t *testing.T) {
			_, err := load(t, map[string]string{"CRM_DATABASE_URL": url})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "host=/run/postgresql", "the message shows the socket form")
		})
	}
}

func TestConfigFlagOverridesEnvironment(t *testing.T) {
	c, err := load(t, map[string]string{"CRM_ADDR": "127.0.0.1:9000"}, "--addr", "127.0.0.1:9100")
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:9100", c.Addr)
}

func TestConfigBadValueNamesTheVariable(t *testing.T) {
	cases := map[string]map[string]string{
		"CRM_ADDR":                    {"CRM_ADDR": "8080"},
		"CRM_DATABASE_URL":            {"CRM_DATABASE_URL": "mysql://x"},
		"CRM_TELEGRAM_MODE":           {"CRM_TELEGRAM_MODE": "push"},
		"CRM_LOG_FORMAT":              {"CRM_LOG_FORMAT": "xml"},
		"CRM_LOG_LEVEL":               {"CRM_LOG_LEVEL": "loud"},
		"CRM_PUBLIC_URL":              {"CRM_PUBLIC_URL": "crm.example.com"},
		"CRM_TELEGRAM_API_URL":        {"CRM_TELEGRAM_API_URL": "ftp://x"},
		"CRM_TELEGRAM_WEBHOOK_SECRET": {"CRM_TELEGRAM_WEBHOOK_SECRET": "has spaces"},
		"CRM_PUBLIC_URL needed for webhook": {
			"CRM_TELEGRAM_TOKEN": "1:x", "CRM_TELEGRAM_MODE": "webhook", "CRM_TELEGRAM_WEBHOOK_SECRET": "s",
		},
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := load(t, env)
			require.Error(t, err)
			assert.Contains(t, err.Error(), name[:len("CRM_")+4])
		})
	}
}

func TestConfigErrorsNeverShowSecrets(t *testing.T) {
	_, err := load(t, map[string]string{
		"CRM_DATABASE_URL":   "postgres://crm:hunter2@db:5432/crm",
		"CRM_TELEGRAM_TOKEN": "123:SECRETTOKEN", "CRM_TELEGRAM_API_URL": "nope",
	}, "--addr", "bad")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "hunter2")
	assert.NotContains(t, err.Error(), "SECRETTOKEN")

	// A URL refused for another reason still hides a password, wherever
	// it stands: in the user part of a socket URL or in the query.
	for _, url := range []string{"postgres://crm:hunter2@/crm", "postgres://crm@/crm?password=hunter2&x=1"} {
		_, err := load(t, map[string]string{"CRM_DATABASE_URL": url})
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "hunter2", url)
	}
}

func TestConfigFlagsAndWordsInAnyOrder(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("username", "", "")
	c, rest, err := LoadConfig(func(string) string { return "" }, fs,
		[]string{"create", "--username", "alice", "extra", "--addr", "127.0.0.1:9", "last"})
	require.NoError(t, err)
	assert.Equal(t, []string{"create", "extra", "last"}, rest)
	assert.Equal(t, "alice", *name)
	assert.Equal(t, "127.0.0.1:9", c.Addr)
}

func TestConfigWebhook(t *testing.T) {
	c, err := load(t, map[string]string{"CRM_WEBHOOK_URL": "https://hooks.example.com/crm?team=a", "CRM_WEBHOOK_SECRET": "s"})
	require.NoError(t, err)
	assert.Equal(t, "https://hooks.example.com/crm?team=a", c.WebhookURL)
	assert.Equal(t, "s", c.WebhookSecret)

	c, err = load(t, map[string]string{"CRM_WEBHOOK_SECRET": "s"})
	require.NoError(t, err, "a secret alone does nothing")
	assert.Empty(t, c.WebhookURL)

	bad := map[string]struct {
		env      map[string]string
		variable string
	}{
		"URL without a secret": {map[string]string{"CRM_WEBHOOK_URL": "https://hooks.example.com/crm"}, "CRM_WEBHOOK_SECRET"},
		"URL not http":         {map[string]string{"CRM_WEBHOOK_URL": "ftp://hooks.example.com/crm", "CRM_WEBHOOK_SECRET": "hunter2"}, "CRM_WEBHOOK_URL"},
		"URL not absolute":     {map[string]string{"CRM_WEBHOOK_URL": "hooks.example.com/crm", "CRM_WEBHOOK_SECRET": "hunter2"}, "CRM_WEBHOOK_URL"},
		"URL without a host":   {map[string]string{"CRM_WEBHOOK_URL": "https:///crm", "CRM_WEBHOOK_SECRET": "hunter2"}, "CRM_WEBHOOK_URL"},
	}
	for name, c := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := load(t, c.env)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.variable)
			assert.NotContains(t, err.Error(), "hunter2", "the secret is never shown")
		})
	}
}
