// Package bench measures the real application — the fx wiring of `crm
// serve`, real storage, real HTTP over keep-alive connections — loaded with
// synthetic data. It holds benchmarks and one quick smoke test; the tests of
// `go test ./...` never assert timings. Run the benchmarks with
//
//	go test -run '^$' -bench . -benchmem ./test/bench/
//
// (PostgreSQL too when CRM_TEST_POSTGRES_URL is set), or test/bench/run.sh.
package bench

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/fx"

	"crm/application"
	"crm/domain"
	"crm/test/apptest"
	"crm/test/pgtest"
)

// Knobs of a benchmark run, after -args: go test -bench . ./test/bench/ -args -load.tickets=2000
var (
	loadTickets = flag.Int("load.tickets", 10000, "synthetic tickets loaded before measuring")
	loadUsers   = flag.Int("load.users", 200, "synthetic users owning those tickets")
	readClients = flag.Int("clients", 0, "parallel clients of the read and single-writer benchmarks (0: GOMAXPROCS)")
	loadCLI     = flag.Bool("load.cli", false, "load the tickets with `crm demo --tickets N` (one at a time) "+
		"instead of the SubmitTicket use case from parallel goroutines")
	loadWorkers = flag.Int("load.workers", 8, "goroutines submitting the load tickets")
)

// Accounts the harness makes besides the demo data. Their hashes are made
// at the cost in the name (bcrypt keeps the cost in the hash), so one server
// shows logging in at both costs.
const (
	benchPassword = "bench-password-1"
	loadPassword  = "load_password" // of demo's load_user_N
	// sessionUsers is how many load users the harness logs in; writers and
	// readers spread over them.
	sessionUsers = 32
)

// database is one storage backend the benchmarks run against.
type database struct {
	name string
	url  func(tb testing.TB) string
}

var databases = []database{
	{"sqlite", func(tb testing.TB) string { return "sqlite:" + filepath.Join(tb.TempDir(), "crm.db") }},
	{"postgres", func(tb testing.TB) string { return pgtest.NewDatabase(tb) }},
}

// setup is how to prepare a server.
type setup struct {
	tickets, users int
	// bcryptCost is CRM_BCRYPT_COST for the server and the demo data; ""
	// keeps the production default (11).
	bcryptCost string
}

// server is a running application loaded with data, and logged-in
// sessions to drive it with.
type server struct {
	base     string // http://127.0.0.1:port
	client   *http.Client
	logs     *logSink
	loadTime time.Duration // the demo data, the users and the tickets
	// usersTime is the part of loadTime `crm demo` took (with -load.cli,
	// the tickets too).
	usersTime time.Duration

	users []session // load users, each with its first page of ticket ids
	staff session

	talliesMu sync.Mutex
	tallies   map[string]*tally // by benchmark name
}

// session is a logged-in person.
type session struct {
	name    string
	cookie  string // "crm_session=…"
	tickets []int64
}

// startServer loads dbURL with the demo data and s's users (`crm demo
// --users M`), starts the application on a random port as `crm serve` does,
// has it file s's tickets (the SubmitTicket use case from parallel
// goroutines, or with -load.cli `crm demo --tickets N` before starting),
// logs people in, and stops it all when tb ends.
func startServer(tb testing.TB, dbURL string, s setup) *server {
	tb.Helper()
	env := map[string]string{
		"CRM_ADDR": "127.0.0.1:0", "CRM_DATABASE_URL": dbURL, "CRM_BCRYPT_COST": s.bcryptCost,
	}
	srv := &server{logs: &logSink{}, client: &http.Client{
		Transport: &http.Transport{
			MaxIdleConns:        1024,
			MaxIdleConnsPerHost: 1024, // the default, 2, would redial under parallel load
			IdleConnTimeout:     90 * time.Second,
		},
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}

	start := time.Now()
	cliTickets := 0
	if *loadCLI {
		cliTickets = s.tickets
	}
	cli(tb, env, "", "demo", "--tickets", strconv.Itoa(cliTickets), "--users", strconv.Itoa(s.users))
	srv.loadTime = time.Since(start)
	srv.usersTime = srv.loadTime
	for _, cost := range []string{"4", "11"} {
		cli(tb, with(env, "CRM_BCRYPT_COST", cost), benchPassword+"\n",
			"user", "create", "--username", "bench_cost"+cost, "--role", "user")
	}

	// The server logs at the default level (info: a line per request) into
	// a sink that keeps only warnings and errors, so formatting the request
	// log is part of what is measured but the terminal is not.
	var (
		app   *application.App
		users application.Users
	)
	r := apptest.Start(tb, env, srv.logs, fx.Populate(&app, &users))
	srv.base = r.URL()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			tb.Errorf("stop application: %v", err)
		}
		srv.client.CloseIdleConnections()
	})
	if !*loadCLI {
		start := time.Now()
		if err := fileLoadTickets(app, users, s.tickets, s.users); err != nil {
			tb.Fatal(err)
		}
		srv.loadTime += time.Since(start)
	}
	if strings.HasPrefix(dbURL, "postgres") {
		// Measure the steady state autovacuum keeps in production: fresh
		// statistics and a visibility map (index-only scans), rather than
		// the minute after a bulk load.
		if err := vacuumAnalyze(dbURL); err != nil {
			tb.Fatal(err)
		}
	}

	n := min(sessionUsers, max(s.users, 1))
	srv.users = make([]session, n)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			name := fmt.Sprintf("load_user_%d", i+1)
			srv.users[i], errs[i] = srv.logIn(name, loadPassword)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			tb.Fatal(err)
		}
	}
	var err error
	if srv.staff, err = srv.logIn("staff_user", "user_staff"); err != nil {
		tb.Fatal(err)
	}
	for i := range srv.users {
		if srv.users[i].tickets, err = srv.myTicketIDs(srv.users[i]); err != nil {
			tb.Fatal(err)
		}
		if len(srv.users[i].tickets) == 0 {
			tb.Fatalf("%s has no tickets on /tickets; load at least %d tickets", srv.users[i].name, n)
		}
	}
	return srv
}

// fileLoadTickets files n tickets like `crm demo --tickets n --users
// nUsers` does (the same titles, texts, types and owners, load_user_1…),
// through the SubmitTicket use case from loadWorkers goroutines.
func fileLoadTickets(app *application.App, users application.Users, n, nUsers int) error {
	if n == 0 {
		return nil
	}
	ctx := context.Background()
	owners := make([]*domain.User, max(nUsers, 1))
	for i := range owners {
		u, err := users.GetByUsername(ctx, fmt.Sprintf("load_user_%d", i+1))
		if err != nil {
			return fmt.Errorf("load_user_%d: %w", i+1, err)
		}
		owners[i] = u
	}
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		errMu sync.Mutex
		first error
	)
	for range max(*loadWorkers, 1) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				owner := owners[i%len(owners)]
				_, err := app.SubmitTicket.Handle(ctx, application.SubmitTicket{
					Actor: owner,
					Title: fmt.Sprintf("Load ticket %d", i+1),
					Text:  fmt.Sprintf("Synthetic request number %d from %s.", i+1, owner.Username()),
					Type:  domain.TicketTypes[i%len(domain.TicketTypes)].String(),
				})
				if err != nil {
					errMu.Lock()
					if first == nil {
						first = fmt.Errorf("submit load ticket %d: %w", i+1, err)
					}
					errMu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// vacuumAnalyze runs VACUUM (ANALYZE) on the PostgreSQL database at url.
func vacuumAnalyze(url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("vacuum: connect: %w", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(ctx, "VACUUM (ANALYZE)"); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	return nil
}

// cli runs the command line against the server's database, as an operator
// would; a failure stops tb.
func cli(tb testing.TB, env map[string]string, stdin string, args ...string) string {
	tb.Helper()
	env = with(env, "CRM_LOG_LEVEL", "warn")
	out, errOut, code := apptest.Run(env, stdin, args...)
	if code != 0 {
		tb.Fatalf("crm %s: exit %d: %s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// with returns a copy of env with k set to v.
func with(env map[string]string, k, v string) map[string]string {
	c := make(map[string]string, len(env)+1)
	for ek, ev := range env {
		c[ek] = ev
	}
	c[k] = v
	return c
}

// logIn posts the login form and returns the session it starts.
func (s *server) logIn(username, password string) (session, error) {
	res, err := s.post("", "/login", url.Values{"username": {username}, "password": {password}})
	if err != nil {
		return session{}, fmt.Errorf("log in %s: %w", username, err)
	}
	if res.StatusCode != http.StatusSeeOther {
		return session{}, fmt.Errorf("log in %s: status %d", username, res.StatusCode)
	}
	for _, c := range res.Cookies() {
		if c.Name == "crm_session" && c.Value != "" {
			return session{name: username, cookie: c.Name + "=" + c.Value}, nil
		}
	}
	return session{}, fmt.Errorf("log in %s: no session cookie", username)
}

var ticketLink = regexp.MustCompile(`href="/tickets/(\d+)"`)

// myTicketIDs returns the ids on the first page of /tickets for p.
func (s *server) myTicketIDs(p session) ([]int64, error) {
	res, body, err := s.getBody(p.cookie, "/tickets")
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /tickets as %s: status %d", p.name, res.StatusCode)
	}
	var ids []int64
	for _, m := range ticketLink.FindAllSubmatch(body, -1) {
		id, _ := strconv.ParseInt(string(m[1]), 10, 64)
		ids = append(ids, id)
	}
	return ids, nil
}

// get fetches path with cookie (may be ""), reads the body to the end so
// that the connection is reused, and returns the answer.
func (s *server) get(cookie, path string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		return nil, err
	}
	return s.do(req, cookie, io.Discard)
}

// getBody is get that also returns the body.
func (s *server) getBody(cookie, path string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		return nil, nil, err
	}
	var body bytes.Buffer
	res, err := s.do(req, cookie, &body)
	return res, body.Bytes(), err
}

// post submits a form as a browser on the application's own page would.
func (s *server) post(cookie, path string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return s.do(req, cookie, io.Discard)
}

func (s *server) do(req *http.Request, cookie string, body io.Writer) (*http.Response, error) {
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(body, res.Body); err != nil {
		return nil, fmt.Errorf("%s %s: read body: %w", req.Method, req.URL.Path, err)
	}
	return res, nil
}

// expect turns an answer other than want into an error.
func expect(res *http.Response, err error, want int) error {
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d", res.Request.Method, res.Request.URL.RequestURI(), res.StatusCode, want)
	}
	return nil
}
