package browser

import (
	"bytes"
	"context"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/bootstrap"
)

// app is the real application — the fx wiring of `crm serve` — running for
// one test on a random port of 127.0.0.1 with its own SQLite file.
type app struct {
	base string
	env  map[string]string
	logs *syncBuffer
}

// startApp starts the application and stops it when the test ends. env
// holds extra CRM_* variables as name, value pairs.
func startApp(t *testing.T, env ...string) *app {
	t.Helper()
	vars := map[string]string{
		"CRM_ADDR":         "127.0.0.1:0",
		"CRM_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "crm.db"),
		"CRM_BCRYPT_COST":  "4",
		"CRM_LOG_LEVEL":    "warn",
	}
	for i := 0; i+1 < len(env); i += 2 {
		vars[env[i]] = env[i+1]
	}
	fs := flag.NewFlagSet("browser", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg, _, err := bootstrap.LoadConfig(func(k string) string { return vars[k] }, fs, nil)
	require.NoError(t, err)
	logs := &syncBuffer{}
	r, err := bootstrap.Start(context.Background(), cfg, bootstrap.NewLogger(cfg, logs))
	require.NoError(t, err, "start application")
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
	var out, errOut bytes.Buffer
	code := bootstrap.Run(context.Background(), args, strings.NewReader(stdin), &out, &errOut,
		func(k string) string { return a.env[k] })
	require.Equal(t, 0, code, "crm %s: %s%s", strings.Join(args, " "), out.String(), errOut.String())
	return out.String()
}

// createStaff makes a staff account the way an operator does:
// `crm user create --username NAME --role staff`, password on stdin.
func (a *app) createStaff(t *testing.T, username, password string) {
	t.Helper()
	a.cli(t, password+"\n", "user", "create", "--username", username, "--role", "staff")
}

// syncBuffer collects log output from the application's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
