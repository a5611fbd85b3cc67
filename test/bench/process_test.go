package bench

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The crm binary the harness runs, built once per test process into a
// directory TestMain removes.
var (
	buildDir  string
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crm-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	buildDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// crmBinary builds the crm command (`go build -o … .` in the module root,
// two folders up from this package) the first time it is called and returns
// its path. `go test` puts its own go first on PATH. BENCH_TAGS, when set,
// are its build tags: BENCH_TAGS=pprof serves net/http/pprof on
// 127.0.0.1:6060 (see pprof.go), to profile the server under a benchmark.
func crmBinary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		path := filepath.Join(buildDir, "crm")
		cmd := exec.Command("go", "build", "-tags", os.Getenv("BENCH_TAGS"), "-o", path, ".")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build crm: %w\n%s", err, out)
			return
		}
		buildPath = path
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return buildPath
}

// environ is the environment of the crm processes the harness runs: the
// given CRM_* settings and nothing else from the harness's environment but
// the Go runtime's knobs, CRM_PPROF_ADDR (with BENCH_TAGS=pprof) and
// CRM_READ_CONCURRENCY (to compare lines), so that a CRM_TELEGRAM_TOKEN in
// the shell does not change what is measured.
func environ(vars map[string]string) []string {
	var env []string
	for _, k := range []string{"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG", "TZ", "CRM_PPROF_ADDR", "CRM_READ_CONCURRENCY"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	for k, v := range vars {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// runCLI runs `crm args…` with vars as its environment and stdin as its
// input, and returns its output or an error with it.
func runCLI(tb testing.TB, vars map[string]string, stdin string, args ...string) (string, error) {
	tb.Helper()
	cmd := exec.Command(crmBinary(tb), args...)
	cmd.Env = environ(vars)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("crm %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// process is a running `crm serve`.
type process struct {
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has ended
	waitErr error         // Wait's answer, once exited is closed
	stopped bool
}

// startProcess runs `crm serve` with vars (CRM_ADDR among them), its
// output going to logs, and returns once GET /readyz at base answers 200,
// with the time that took since exec. A process that exits or is not ready
// within two minutes fails tb.
func startProcess(tb testing.TB, vars map[string]string, base string, logs *logSink) (*process, time.Duration) {
	tb.Helper()
	cmd := exec.Command(crmBinary(tb), "serve")
	cmd.Env = environ(vars)
	cmd.Stdout, cmd.Stderr = logs, logs
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start crm serve: %v", err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	tb.Cleanup(func() {
		if err := p.stop(); err != nil {
			tb.Error(err)
		}
	})

	probe := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		res, err := probe.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p, time.Since(start)
			}
		}
		select {
		case <-p.exited:
			tb.Fatalf("crm serve exited before it was ready (%v): %q", p.waitErr, logs.firstProblems())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatalf("crm serve: /readyz did not answer 200 within 2 minutes: %q", logs.firstProblems())
		}
	}
}

// stop asks the server to stop (SIGTERM, as a service manager would) and
// waits for it; it kills a server that has not stopped after 30 s. An
// exit status other than 0 is an error.
func (p *process) stop() error {
	if p.stopped {
		return nil
	}
	p.stopped = true
	select {
	case <-p.exited:
		return fmt.Errorf("crm serve ended before it was stopped: %v", p.waitErr)
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop crm serve: %w", err)
	}
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return errors.New("crm serve did not stop within 30 s of SIGTERM; killed")
	}
	if p.waitErr != nil {
		return fmt.Errorf("crm serve: %w", p.waitErr)
	}
	return nil
}

// memory returns the process's resident set now and at its peak
// (/proc/PID/status VmRSS and VmHWM), in bytes; zeros off Linux.
func (p *process) memory() (rss, peak uint64) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for line := range strings.Lines(string(status)) {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseUint(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb << 10
		case "VmHWM:":
			peak = kb << 10
		}
	}
	return rss, peak
}

// clockTicks is the unit of /proc/PID/stat's CPU times (USER_HZ), 100 on
// every Linux the harness meets.
const clockTicks = 100

// cpu returns the CPU time the process has used so far, user and system;
// 0 off Linux.
func (p *process) cpu() time.Duration { return processCPU(p.cmd.Process.Pid) }

// freeAddr returns 127.0.0.1:port with a port nobody listens on now.
func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// logSink is where the server's output goes: it keeps the first warnings
// and errors and counts SQLite lock failures, so that benchmarks can report
// them. It reads whole lines, since a pipe may cut or join records.
type logSink struct {
	mu      sync.Mutex
	partial []byte
	kept    []string
	errors  int
	locked  int
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.take(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	return len(p), nil
}

// take counts one line of the server's output.
func (l *logSink) take(line string) {
	if strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN") ||
		strings.HasPrefix(line, "panic:") || strings.HasPrefix(line, "fatal error:") {
		l.errors++
		if len(l.kept) < 5 {
			l.kept = append(l.kept, strings.TrimSpace(line))
		}
	}
	if strings.Contains(line, "database is locked") || strings.Contains(line, "SQLITE_BUSY") {
		l.locked++
	}
}

// counts returns how many warnings and errors, and how many lock failures,
// were logged so far.
func (l *logSink) counts() (errors, locked int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.errors, l.locked
}

// firstProblems returns the first warnings and errors logged, and what
// is left of an unfinished line.
func (l *logSink) firstProblems() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	kept := append([]string(nil), l.kept...)
	if len(l.partial) > 0 {
		kept = append(kept, string(l.partial))
	}
	return kept
}
