package e2e

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// friendlyUnavailable is what the 503 page says.
const friendlyUnavailable = "503"

// assertReadOnlyIsServed checks an application whose database takes no
// writes: /readyz says so, writes answer 503 (the friendly page, or
// problem+json), reads are still served, to a browser logged in before and
// to an API token.
func assertReadOnlyIsServed(t *testing.T, a *app, loggedIn *browser, ticketID, token string) {
	t.Helper()
	b := &browser{t: t, app: a, client: loggedIn.client} // its cookies, on this app
	r := b.get("/readyz")
	assert.Equal(t, http.StatusServiceUnavailable, r.status, "readyz: %s", r.body)
	assert.Equal(t, http.StatusOK, b.get("/healthz").status, "the process is up")

	r = b.get("/tickets")
	assert.Equal(t, http.StatusOK, r.status, "reads are served")
	assert.Contains(t, r.body, "Stored before")
	r = b.get("/tickets/" + ticketID)
	assert.Equal(t, http.StatusOK, r.status, "reads are served")
	r = b.post("/tickets", url.Values{"title": {"During the fault"}, "text": {"x"}, "type": {"repair"}})
	assert.Equal(t, http.StatusServiceUnavailable, r.status, "a write")
	assert.Contains(t, r.body, friendlyUnavailable)
	assert.NotContains(t, r.body, "readonly")
	r = b.post("/tickets/"+ticketID+"/comments", url.Values{"text": {"During the fault"}})
	assert.Equal(t, http.StatusServiceUnavailable, r.status, "a comment")
	assert.Equal(t, http.StatusServiceUnavailable, a.browser().login("fault_owner", "correct-horse").status,
		"a login, which stores a session")

	res, doc := a.apiCall(token, "GET", "/api/v1/tickets/"+ticketID, "")
	assert.Equal(t, http.StatusOK, res.status, "an API read: %s", res.body)
	assert.Equal(t, "Stored before", doc["title"])
	res, doc = a.apiCall(token, "POST", "/api/v1/tickets", `{"title":"During the fault","text":"x","type":"repair"}`)
	assert.Equal(t, http.StatusServiceUnavailable, res.status, "an API write: %s", res.body)
	assert.Equal(t, "application/problem+json", res.header.Get("Content-Type"))
	assert.Equal(t, "urn:crm:problem:unavailable", doc["type"])
	assert.NotContains(t, res.body, "readonly")
	assert.NotContains(t, res.body, "read-only transaction")
	assert.Contains(t, a.logs.String(), "request failed", "the cause is logged")
}

// seedFaultData stores an account, a ticket and an API token, and returns
// the owner's browser, logged in, the ticket id and the token.
func seedFaultData(t *testing.T, a *app) (*browser, string, string) {
	t.Helper()
	b := a.browser()
	b.mustSignUp("fault_owner", "correct-horse")
	id := b.submit("Stored before", "x", "repair")
	return b, strconv.FormatInt(id, 10), a.mustIssueToken("fault_owner")
}

func TestReadOnlySQLiteAnswers503ToWritesAndServesReads(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "crm.db")
	a := startApp(t, "sqlite:"+path)
	b, id, token := seedFaultData(t, a)
	assert.Equal(t, http.StatusOK, a.browser().get("/readyz").status)
	a.stop()

	// The same file, opened read-only (a chmod does not stop root, who
	// runs the tests): what a read-only mount or file gives the server.
	ro := startApp(t, "sqlite:file:"+path+"?mode=ro")
	assertReadOnlyIsServed(t, ro, b, id, token)
}

func TestReadOnlyPostgreSQLAnswers503ToWritesAndServesReads(t *testing.T) {
	t.Parallel()
	dbURL := backends[1].url(t)
	a := startApp(t, dbURL)
	b, id, token := seedFaultData(t, a)
	assert.Equal(t, http.StatusOK, a.browser().get("/readyz").status)

	// The database turns read-only, as a standby does: new sessions
	// default to read-only transactions; the pool's are ended.
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	name := strings.TrimPrefix(u.Path, "/")
	pgExec(t, dbURL, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" SET default_transaction_read_only = on")
	pgExec(t, dbURL, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
	// Each pooled connection fails once, when next used, with 57P01
	// ("terminating connection"): a 503, never a 500, until the pool has
	// opened new ones.
	reader := &browser{t: t, app: a, client: b.client}
	require.Eventually(t, func() bool {
		r := reader.get("/tickets")
		assert.Contains(t, []int{http.StatusOK, http.StatusServiceUnavailable}, r.status)
		return r.status == http.StatusOK
	}, 15*time.Second, 5*time.Millisecond)
	assertReadOnlyIsServed(t, a, b, id, token)
}

func TestUnreachablePostgreSQLAnswers503(t *testing.T) {
	t.Parallel()
	dbURL := backends[1].url(t)
	a := startApp(t, dbURL)
	b := a.browser()
	b.mustSignUp("fault_owner", "correct-horse")
	token := a.mustIssueToken("fault_owner")

	// No new connection is allowed, and the open ones are ended.
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	raw := strings.TrimPrefix(u.Path, "/")
	name := pgx.Identifier{raw}.Sanitize()
	admin := *u
	admin.Path = "/postgres"
	pgExec(t, admin.String(), "ALTER DATABASE "+name+" ALLOW_CONNECTIONS false")
	pgExec(t, admin.String(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"+raw+"'")

	assert.Equal(t, http.StatusServiceUnavailable, b.get("/readyz").status)
	r := b.get("/tickets")
	assert.Equal(t, http.StatusServiceUnavailable, r.status, "a page: %s", r.body)
	assert.Contains(t, r.body, friendlyUnavailable)
	res, doc := a.apiCall(token, "GET", "/api/v1/me", "")
	assert.Equal(t, http.StatusServiceUnavailable, res.status, res.body)
	assert.Equal(t, "urn:crm:problem:unavailable", doc["type"])
	assert.Equal(t, http.StatusServiceUnavailable, b.login("fault_owner", "correct-horse").status, "login")
	assert.Equal(t, http.StatusServiceUnavailable, a.browser().register("fault_other", "correct-horse").status, "register")
}

// pgExec runs one statement on dbURL, failing the test on an error.
func pgExec(t *testing.T, dbURL, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	_, err = conn.Exec(ctx, sql)
	require.NoError(t, err, sql)
}
