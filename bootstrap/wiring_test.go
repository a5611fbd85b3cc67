package bootstrap

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
)

// TestWiringIsComplete checks the fx graph of the real options, for every
// database and Telegram setting, without starting anything.
func TestWiringIsComplete(t *testing.T) {
	cases := map[string]map[string]string{
		"sqlite":            {},
		"postgres":          {"CRM_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/crm"},
		"telegram polling":  {"CRM_TELEGRAM_TOKEN": "1:x"},
		"telegram webhook":  {"CRM_TELEGRAM_TOKEN": "1:x", "CRM_TELEGRAM_MODE": "webhook", "CRM_TELEGRAM_WEBHOOK_SECRET": "s", "CRM_PUBLIC_URL": "https://crm.example.com"},
		"postgres telegram": {"CRM_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/crm", "CRM_TELEGRAM_TOKEN": "1:x"},
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := load(t, env)
			require.NoError(t, err)
			log := NewLogger(c, io.Discard)
			require.NoError(t, fx.ValidateApp(serveOptions(c, log)))
			require.NoError(t, fx.ValidateApp(coreOptions(c, log), fx.Populate(new(cliDeps))))
		})
	}
}
