package browser

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/test/apptest"
)

// app is the real application — the fx wiring of `crm serve` — running for
// one test on a random port of 127.0.0.1 with its own SQLite file.
type app struct {
	base string
	env  map[string]string
	logs *apptest.Logs
}

// startApp starts the application and stops it when the test ends. env
// holds extra CRM_* variables as name, value pairs.
func startApp(t *testing.T, env ...string) *app {
	t.Helper()
	vars := map[string]string{
		"CRM_ADDR":          "127.0.0.1:0",
		"CRM_DATABASE_URL":  "sqlite:" + filepath.Join(t.TempDir(), "crm.db"),
		"CRM_ARGON2_PARAMS": "m=64,t=1,p=1",
		"CRM_LOG_LEVEL":     "warn",
	}
	for i := 0; i+1 < len(env); i += 2 {
		vars[env[i]] = env[i+1]
	}
	logs := &apptest.Logs{}
	r := apptest.Start(t, vars, logs)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop application: %v", err)
		}
		if t.Failed() {
			t.Logf("application log:\n%s", logs.String())
		}
	})
	return &app{base: r.URL(), env: vars, logs: logs}
}

// url returns the absolute URL of path.
func (a *app) url(path string) string { return a.base + path }

// cli runs a `crm` command against the application's database, as an
// operator would on the same machine, and returns its standard output.
func (a *app) cli(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, code := apptest.Run(a.env, stdin, args...)
	require.Equal(t, 0, code, "crm %s: %s%s", strings.Join(args, " "), out, errOut)
	return out
}

// createStaff makes a staff account the way an operator does:
// `crm user create --username NAME --role staff`, password on stdin.
func (a *app) createStaff(t *testing.T, username, password string) {
	t.Helper()
	a.cli(t, password+"\n", "user", "create", "--username", username, "--role", "staff")
}
