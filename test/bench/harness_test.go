package bench

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "modernc.org/sqlite"

	"crm/bootstrap"
	"crm/test/pgtest"
)

// database is one storage backend the benchmarks run against.
type database struct {
	name  string                     // the dialect: sqlite or postgres
	fresh func(tb testing.TB) string // an empty database's CRM_DATABASE_URL
}

var databases = []database{
	{"sqlite", func(tb testing.TB) string { return "sqlite:" + filepath.Join(tb.TempDir(), "crm.db") }},
	{"postgres", func(tb testing.TB) string { return pgtest.NewDatabase(tb) }},
}

// location is the database a server runs on: a fresh one, or with
// -load.reuse one that may already hold the load data from an earlier run.
type location struct {
	url    string
	reused bool
}

// location returns -load.reuse's database of this dialect if one is given,
// else a fresh database.
func (d database) location(tb testing.TB) location {
	tb.Helper()
	for _, v := range loadReuse {
		loc, err := bootstrap.ParseDatabaseURL(v)
		if err != nil {
			tb.Fatalf("-load.reuse=%s: %v", v, err)
		}
		if loc.Dialect != d.name {
			continue
		}
		if d.name == "sqlite" {
			abs, err := filepath.Abs(loc.DSN)
			if err != nil {
				tb.Fatal(err)
			}
			return location{url: "sqlite:" + abs, reused: true}
		}
		return location{url: v, reused: true}
	}
	return location{url: d.fresh(tb)}
}

// reuseFlag is -load.reuse, which may be given once per dialect.
type reuseFlag []string

func (r *reuseFlag) String() string { return strings.Join(*r, " ") }

func (r *reuseFlag) Set(v string) error {
	if !strings.Contains(v, ":") {
		v = "sqlite:" + v // a bare path
	}
	if _, err := bootstrap.ParseDatabaseURL(v); err != nil {
		return err
	}
	*r = append(*r, v)
	return nil
}

// setup is how to prepare a server.
type setup struct {
	tickets, users int
	// argon2Params is CRM_ARGON2_PARAMS for the server and the CLI; ""
	// keeps the production default.
	argon2Params string
}

// Accounts the harness uses: demo's load_user_N and staff_user, and
// benchLogin, whose logins the Login benchmark measures. All are hashed
// with the server's argon2id parameters, so that no login re-hashes.
const (
	benchLogin    = "bench_login"
	benchPassword = "bench-password-1"
	loadPassword  = "load_password" // of demo's load_user_N
	staffUser     = "staff_user"
	staffPassword = "user_staff"
	// sessionUsers is how many load users the harness logs in; the
	// clients spread over them.
	sessionUsers = 32
)

// server is a running `crm serve` loaded with data, logged-in sessions to
// drive it with, and the bare server to compare it with.
type server struct {
	app  *target
	bare *bareServer
	proc *process
	logs *logSink

	where     string        // the database, without a password
	pgName    string        // the PostgreSQL database's name ("" on SQLite)
	loaded    bool          // false when a reused database already held tickets
	tickets   int           // tickets in the database when it started serving
	loadTime  time.Duration // `crm demo --tickets N --users M`
	startTime time.Duration // from exec until /readyz answered 200

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

// startServer prepares the database at loc (`crm demo --tickets N --users
// M`, unless loc is reused and already holds tickets), starts `crm serve`
// on a free port, logs people in, and stops it all when tb ends.
func startServer(tb testing.TB, loc location, s setup) *server {
	tb.Helper()
	srv := &server{logs: &logSink{}, bare: startBare(tb), where: loc.url}
	if u, err := url.Parse(loc.url); err == nil && u.User != nil {
		srv.where = u.Redacted()
	}
	if u, err := url.Parse(loc.url); err == nil && strings.HasPrefix(u.Scheme, "postgres") {
		srv.pgName = strings.TrimPrefix(u.Path, "/")
	}
	// The harness is a trusted proxy: each login says, in
	// X-Forwarded-For, the client address it comes from (a new one each
	// time, as for many people logging in, or the flood's one), so the
	// production limits per address apply.
	env := map[string]string{"CRM_DATABASE_URL": loc.url, "CRM_LOG_LEVEL": "warn", "CRM_ARGON2_PARAMS": s.argon2Params,
		"CRM_TRUSTED_PROXIES": "127.0.0.1"}

	if loc.reused {
		n, err := countTickets(loc.url)
		if err != nil {
			tb.Fatalf("-load.reuse: %v", err)
		}
		srv.tickets = n
	}
	if srv.tickets == 0 {
		start := time.Now()
		if _, err := runCLI(tb, env, "",
			"demo", "--tickets", strconv.Itoa(s.tickets), "--users", strconv.Itoa(s.users)); err != nil {
			tb.Fatal(err)
		}
		srv.loadTime = time.Since(start)
		srv.loaded = true
		srv.tickets = s.tickets
		if strings.HasPrefix(loc.url, "postgres") {
			// Measure the steady state autovacuum keeps in production:
			// fresh statistics and a visibility map (index-only scans),
			// rather than the minute after a bulk load.
			if err := vacuumAnalyze(loc.url); err != nil {
				tb.Fatal(err)
			}
		}
	}
	addr := freeAddr(tb)
	srv.app = newTarget("http://" + addr)
	tb.Cleanup(srv.app.client.CloseIdleConnections)
	env["CRM_ADDR"] = addr
	// The account the Login benchmark uses; a database reused from an
	// earlier run may have it already.
	if out, err := runCLI(tb, env, benchPassword+"\n",
		"user", "create", "--username", benchLogin, "--role", "user"); err != nil && !strings.Contains(out, "taken") {
		tb.Fatal(err)
	}
	srv.proc, srv.startTime = startProcess(tb, env, srv.app.base, srv.logs)

	n := min(sessionUsers, max(s.users, 1))
	srv.users = make([]session, n)
	// As many logins at once as there are cores: more would only wait for
	// a hashing slot, and past CRM_HASH_QUEUE be refused with 503.
	var wg sync.WaitGroup
	errs := make([]error, n)
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range n {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			srv.users[i], errs[i] = srv.app.logIn(fmt.Sprintf("load_user_%d", i+1), loadPassword)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	var err error
	if srv.staff, err = srv.app.logIn(staffUser, staffPassword); err != nil {
		tb.Fatal(err)
	}
	for i := range srv.users {
		if srv.users[i].tickets, err = srv.app.myTicketIDs(srv.users[i]); err != nil {
			tb.Fatal(err)
		}
		if len(srv.users[i].tickets) == 0 {
			tb.Fatalf("%s has no tickets on /tickets; load at least %d tickets", srv.users[i].name, n)
		}
	}
	return srv
}

// countTickets returns how many tickets the database at dbURL holds: 0
// when it has no schema yet. A PostgreSQL database that does not exist is
// created, empty.
func countTickets(dbURL string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	loc, err := bootstrap.ParseDatabaseURL(dbURL)
	if err != nil {
		return 0, err
	}
	const q = "SELECT count(*) FROM tickets"
	var n int
	if loc.Dialect == "sqlite" {
		if _, err := os.Stat(loc.DSN); errors.Is(err, os.ErrNotExist) {
			return 0, nil
		}
		db, err := sql.Open("sqlite", loc.DSN)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		err = db.QueryRowContext(ctx, q).Scan(&n)
		if err != nil && strings.Contains(err.Error(), "no such table") {
			return 0, nil
		}
		return n, err
	}

	conn, err := pgx.Connect(ctx, dbURL)
	if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == "3D000" { // invalid_catalog_name
		return 0, createDatabase(ctx, dbURL)
	}
	if err != nil {
		return 0, err
	}
	defer func() { _ = conn.Close(context.Background()) }()
	err = conn.QueryRow(ctx, q).Scan(&n)
	if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table
		return 0, nil
	}
	return n, err
}

// createDatabase creates the database dbURL names, connecting to the
// server's postgres database to do it.
func createDatabase(ctx context.Context, dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// vacuumAnalyze runs VACUUM (ANALYZE) on the PostgreSQL database at url.
func vacuumAnalyze(url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
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

// target is an HTTP server the load generator drives: the application or
// the bare server.
type target struct {
	base   string // http://127.0.0.1:port
	client *http.Client
	// seen, when set, records every answer (the probe of a page before
	// the bare server mimics it).
	seen *answers
}

func newTarget(base string) *target {
	return &target{base: base, client: &http.Client{
		Transport: &http.Transport{
			MaxIdleConns:        1024,
			MaxIdleConnsPerHost: 1024, // the default, 2, would redial under parallel load
			IdleConnTimeout:     90 * time.Second,
		},
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// logIn posts the login form and returns the session it starts.
func (t *target) logIn(username, password string) (session, error) {
	res, err := t.postFrom(nextAddr(), "", "/login", url.Values{"username": {username}, "password": {password}})
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
func (t *target) myTicketIDs(p session) ([]int64, error) {
	req, err := http.NewRequest(http.MethodGet, t.base+"/tickets", nil)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	res, err := t.do(req, p.cookie, &body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /tickets as %s: status %d", p.name, res.StatusCode)
	}
	var ids []int64
	for _, m := range ticketLink.FindAllSubmatch(body.Bytes(), -1) {
		id, _ := strconv.ParseInt(string(m[1]), 10, 64)
		ids = append(ids, id)
	}
	return ids, nil
}

// get fetches path with cookie (may be ""), reads the body to the end so
// that the connection is reused, and returns the answer.
func (t *target) get(cookie, path string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, t.base+path, nil)
	if err != nil {
		return nil, err
	}
	return t.do(req, cookie, io.Discard)
}

// postFrom posts form as from the client address addr (X-Forwarded-For).
func (t *target) postFrom(addr, cookie, path string, form url.Values) (*http.Response, error) {
	req, err := t.formRequest(context.Background(), path, form)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Forwarded-For", addr)
	return t.do(req, cookie, io.Discard)
}

// addrs numbers the client addresses nextAddr hands out.
var addrs atomic.Uint32

// nextAddr returns a client address not used before in this process, in
// 10.0.0.0/8.
func nextAddr() string {
	n := addrs.Add(1)
	return fmt.Sprintf("10.%d.%d.%d", n>>16&0xff, n>>8&0xff, n&0xff)
}

// post submits a form as a browser on the application's own page would.
func (t *target) post(cookie, path string, form url.Values) (*http.Response, error) {
	req, err := t.formRequest(context.Background(), path, form)
	if err != nil {
		return nil, err
	}
	return t.do(req, cookie, io.Discard)
}

// formRequest is a POST of form to path as the application's own page
// sends it.
func (t *target) formRequest(ctx context.Context, path string, form url.Values) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", t.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req, nil
}

func (t *target) do(req *http.Request, cookie string, body io.Writer) (*http.Response, error) {
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	n, err := io.Copy(body, res.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read body: %w", req.Method, req.URL.Path, err)
	}
	if t.seen != nil {
		t.seen.add(req.Method, res, n)
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
