// Package statements counts the SQL statements each page issues and fails
// when the count grows with the rows behind the page: a list over 60
// tickets, or a ticket with 60 comments and changes, must cost as many
// statements as one over 25 (no query per row). Both are more than a page
// (20): a list that fits on its first page counts its rows without a
// query, one statement fewer.
//
// The real application runs (test/apptest); its handler is served here
// behind a middleware that marks each request's context, and the store's
// observer (sqlstore.Store.OnQuery) counts the statements run with a marked
// context, so the background workers' queries are not counted.
package statements

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/fx"

	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
	"crm/test/apptest"
	"crm/test/pgtest"
)

var backends = []struct {
	name string
	url  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "crm.db") }},
	{"postgres", func(t *testing.T) string { return pgtest.NewDatabase(t) }},
}

// The two sizes compared: tickets of the person, and comments and status
// changes on the ticket shown.
const small, large = 25, 60

func TestPagesIssueAsManyStatementsWhateverTheRows(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			few := measure(t, b.url(t), small)
			many := measure(t, b.url(t), large)
			for _, p := range pages {
				t.Run(p.name, func(t *testing.T) {
					require.NotZero(t, few[p.name].n, "the observer saw the page's statements")
					t.Logf("%s: %d statements with %d rows, %d with %d", p.path, few[p.name].n, small, many[p.name].n, large)
					assert.Equal(t, few[p.name].n, many[p.name].n,
						"statements of %s with %d rows and with %d rows\nwith %d:\n%s\nwith %d:\n%s",
						p.path, small, large, small, few[p.name].list(), large, many[p.name].list())
				})
			}
		})
	}
}

// page is one page and who reads it; {id} is the ticket shown.
type page struct {
	name, path string
	staff      bool
	shows      string // a text the page must show
}

var pages = []page{
	{"my tickets", "/tickets", false, "Принтер"},
	{"my ticket", "/tickets/{id}", false, "comment 1"},
	{"queue", "/admin/tickets", true, "Принтер"},
	{"queue by status and type", "/admin/tickets?status=open&type=repair", true, "Принтер"},
	{"search", "/admin/tickets?q=" + url.QueryEscape("принтер бумагу"), true, "Принтер"},
	{"ticket for staff", "/admin/tickets/{id}", true, "comment 1"},
}

// counted are the statements run for one request.
type counted struct {
	mu sync.Mutex
	n  int
	qs []string
}

func (c *counted) add(q string) {
	if strings.Contains(q, staffListFrom) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	c.qs = append(c.qs, strings.Join(strings.Fields(q), " "))
}

func (c *counted) list() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return "  " + strings.Join(c.qs, "\n  ")
}

// staffListFrom marks the staff list's statement, which is not counted:
// the store keeps the list for a second, so whether a page reads it
// depends on the time since the last page, not on the rows; it is one
// statement whatever the rows.
const staffListFrom = "FROM users WHERE role IN"

type requestKey struct{}

// measure starts the application on dbURL, gives a person n tickets (each
// with history and comments; the one shown has n comments and about n
// status changes), and returns the statements each page ran.
func measure(t *testing.T, dbURL string, n int) map[string]*counted {
	vars := map[string]string{
		"CRM_ADDR": "127.0.0.1:0", "CRM_DATABASE_URL": dbURL,
		"CRM_ARGON2_PARAMS": "m=64,t=1,p=1", "CRM_LOG_LEVEL": "error",
	}
	var handler http.Handler
	var app *application.App
	var store *sqlstore.Store
	running := apptest.Start(t, vars, io.Discard, fx.Populate(&handler, &app, &store))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		assert.NoError(t, running.Stop(ctx))
	})
	store.OnQuery(func(ctx context.Context, q string, _ []any) {
		if c, ok := ctx.Value(requestKey{}).(*counted); ok {
			c.add(q)
		}
	})
	t.Cleanup(func() { store.OnQuery(nil) })

	var current atomic.Pointer[counted] // the request being counted; requests are made one at a time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := current.Load(); c != nil {
			r = r.WithContext(context.WithValue(r.Context(), requestKey{}, c))
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	id := fill(t, app, n)
	person, staff := login(t, srv.URL, "person_one"), login(t, srv.URL, "staff_one")
	out := map[string]*counted{}
	for _, p := range pages {
		c := person
		if p.staff {
			c = staff
		}
		out[p.name] = &counted{}
		current.Store(out[p.name])
		body := c.get(t, srv.URL+strings.ReplaceAll(p.path, "{id}", fmt.Sprint(id)))
		current.Store(nil)
		assert.Contains(t, body, p.shows, "%s shows its rows", p.path)
	}
	return out
}

// fill stores the person's n tickets, another person's, and the staff, and
// returns the id of the ticket the detail pages show.
func fill(t *testing.T, app *application.App, n int) int64 {
	ctx := t.Context()
	person, err := app.CreateUser.Handle(ctx, application.CreateUser{Username: "person_one", Password: "correct-horse", Role: "user"})
	require.NoError(t, err)
	other, err := app.CreateUser.Handle(ctx, application.CreateUser{Username: "person_two", Password: "correct-horse", Role: "user"})
	require.NoError(t, err)
	staff, err := app.CreateUser.Handle(ctx, application.CreateUser{Username: "staff_one", Password: "correct-horse", Role: "staff"})
	require.NoError(t, err)
	_, err = app.SubmitTicket.Handle(ctx, application.SubmitTicket{Actor: other, Title: "Чужая заявка", Text: "Не моё", Type: "service"})
	require.NoError(t, err)

	var shown int64
	for i := range n {
		typ := []string{"repair", "service", "consultation"}[i%3]
		tk, err := app.SubmitTicket.Handle(ctx, application.SubmitTicket{Actor: person,
			Title: fmt.Sprintf("Принтер %d", i), Text: "Замяло бумагу, мигает экран", Type: typ})
		require.NoError(t, err)
		require.NoError(t, app.AddComment.Handle(ctx, application.AddComment{Actor: person, TicketID: tk.ID(), Text: "comment 1"}))
		require.NoError(t, app.AddComment.Handle(ctx, application.AddComment{Actor: staff, TicketID: tk.ID(), Text: "note", Internal: true}))
		require.NoError(t, app.AssignTicket.Handle(ctx, application.AssignTicket{Actor: staff, TicketID: tk.ID(), AssigneeID: staff.ID()}))
		if i%2 == 1 { // the rest stay open, so that the filtered queue shows some
			require.NoError(t, app.ChangeStatus.Handle(ctx, application.ChangeStatus{Actor: staff, TicketID: tk.ID(),
				Status: domain.StatusInProgress.String(), Comment: "on it"}))
		}
		shown = tk.ID()
	}
	// The ticket shown has n comments and about n changes of status.
	cycle := []domain.Status{domain.StatusClosed, domain.StatusOpen}
	for i := range n {
		require.NoError(t, app.AddComment.Handle(ctx, application.AddComment{Actor: staff, TicketID: shown,
			Text: fmt.Sprintf("reply %d", i)}))
		require.NoError(t, app.ChangeStatus.Handle(ctx, application.ChangeStatus{Actor: staff, TicketID: shown,
			Status: cycle[i%2].String(), Comment: fmt.Sprintf("step %d", i)}))
	}
	return shown
}

type client struct{ http *http.Client }

// login returns a client with username's session.
func login(t *testing.T, base, username string) *client {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &client{http: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	form := url.Values{"username": {username}, "password": {"correct-horse"}}
	req, err := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err := c.http.Do(req)
	require.NoError(t, err)
	_ = res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode, "log in as %s", username)
	return c
}

// get returns the body of the page at u, which must answer 200.
func (c *client) get(t *testing.T, u string) string {
	res, err := c.http.Get(u)
	require.NoError(t, err)
	defer func() { _ = res.Body.Close() }()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, "GET %s", u)
	return string(body)
}
