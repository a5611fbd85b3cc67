// Package apptest starts the real application — the wiring of `crm serve` —
// for the tests that drive it from outside (end-to-end, authorisation,
// browser, benchmarks), so that each of them configures and starts it the
// same way.
package apptest

import (
	"context"
	"flag"
	"io"
	"strings"
	"sync"
	"testing"

	"go.uber.org/fx"

	"crm/bootstrap"
)

// Config reads vars (CRM_* names) as the process reads its environment,
// failing the test on a bad value.
func Config(tb testing.TB, vars map[string]string) bootstrap.Config {
	tb.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg, _, err := bootstrap.LoadConfig(func(k string) string { return vars[k] }, fs, nil)
	if err != nil {
		tb.Fatalf("configuration: %v", err)
	}
	return cfg
}

// Start starts the application configured by vars, logging to logs, and
// returns once it listens. extra options reach into it (fx.Populate).
// Stopping it is the caller's: some tests stop and restart on purpose.
func Start(tb testing.TB, vars map[string]string, logs io.Writer, extra ...fx.Option) *bootstrap.Running {
	tb.Helper()
	cfg := Config(tb, vars)
	r, err := bootstrap.Start(context.Background(), cfg, bootstrap.NewLogger(cfg, logs), extra...)
	if err != nil {
		tb.Fatalf("start application: %v", err)
	}
	return r
}

// Logs collects what the application logs from its goroutines.
type Logs struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything logged so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Run runs the command line (`crm args…`) with vars as its environment and
// stdin as its standard input, as an operator would on the server, and
// returns what it printed and its exit status.
func Run(vars map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errOut strings.Builder
	code = bootstrap.Run(context.Background(), args, strings.NewReader(stdin), &out, &errOut,
		func(k string) string { return vars[k] })
	return out.String(), errOut.String(), code
}
