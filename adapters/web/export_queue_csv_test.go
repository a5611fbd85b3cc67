package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// readCSV checks the BOM and parses the rest of body.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	require.True(t, strings.HasPrefix(body, "\uFEFF"), "starts with a BOM: %q", body[:min(len(body), 20)])
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	assert.Equal(t, queueCSVHeader, rows[0])
	return rows[1:]
}

func TestQueueCSVHasTheQueuesTicketsFilteredQuotedAndDefused(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("владелец", "user")
	staff, _ := s.loggedIn("helper", "staff")
	s.createUser("other", "staff")
	first := owner.submit("Сломался принтер, \"срочно\"", "Не печатает", "repair")
	second := owner.submit("=HYPERLINK(\"http://evil\")", "formula", "service")
	third := owner.submit("Консультация", "Вопрос", "consultation")
	r := staff.post(pathf("/admin/tickets/{id}/assign", third), map[string][]string{"assignee": {"2"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)

	res := staff.get("/admin/tickets.csv")
	require.Equal(t, http.StatusOK, res.status, res.body)
	assert.Equal(t, "text/csv; charset=utf-8", res.header.Get("Content-Type"))
	assert.Regexp(t, `^attachment; filename=tickets-\d{8}-\d{6}\.csv$`, res.header.Get("Content-Disposition"))
	rows := readCSV(t, res.body)
	require.Len(t, rows, 3)
	assert.Equal(t, []string{strconv.FormatInt(third, 10), "Консультация", "consultation", "open", "владелец", "helper",
		"2026-03-01T12:00:00Z", "2026-03-01T12:00:00Z", ""}, rows[0], "newest first, names as they are, times in UTC")
	assert.Equal(t, `'=HYPERLINK("http://evil")`, rows[1][1], "a formula is shown as text")
	assert.Equal(t, strconv.FormatInt(second, 10), rows[1][0])
	assert.Equal(t, `Сломался принтер, "срочно"`, rows[2][1], "commas and quotes survive")
	assert.Equal(t, "", rows[2][5], "unassigned")

	rows = readCSV(t, staff.get("/admin/tickets.csv?type=repair").body)
	require.Len(t, rows, 1)
	assert.Equal(t, strconv.FormatInt(first, 10), rows[0][0])
	rows = readCSV(t, staff.get("/admin/tickets.csv?assignee=mine&q=%D0%BA%D0%BE%D0%BD%D1%81%D1%83%D0%BB%D1%8C%D1%82").body)
	require.Len(t, rows, 1, "search and assignee apply as in the queue")
	assert.Equal(t, strconv.FormatInt(third, 10), rows[0][0])

	queue := staff.get("/admin/tickets?type=repair")
	assert.Contains(t, queue.body, `href="/admin/tickets.csv?type=repair" download>Download CSV</a>`)
}

func TestQueueCSVRefusals(t *testing.T) {
	s := newSite(t)
	user, _ := s.loggedIn("someone", "user")
	staff, _ := s.loggedIn("helper", "staff")

	r := s.browser().get("/admin/tickets.csv")
	assert.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, "/login?next=%2Fadmin%2Ftickets.csv", r.location)
	assert.Equal(t, http.StatusForbidden, user.get("/admin/tickets.csv").status)
	r = staff.get("/admin/tickets.csv?status=lost")
	assert.Equal(t, http.StatusUnprocessableEntity, r.status, "a filter that does not exist")
	assert.NotContains(t, r.header.Get("Content-Type"), "csv")

	api, _ := s.apiUser("robot", "staff")
	res := api.get("/api/v1/queue.csv?type=nonsense")
	assert.Equal(t, http.StatusUnprocessableEntity, res.status, res.body)
	userAPI, _ := s.apiUser("person", "user")
	assert.Equal(t, http.StatusForbidden, userAPI.get("/api/v1/queue.csv").status)
	assert.Equal(t, http.StatusUnauthorized, (&apiClient{t: t, site: s}).get("/api/v1/queue.csv").status)
}

func TestAPIQueueCSV(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("owner", "user")
	id := owner.submit("Принтер", "Не печатает", "repair")
	owner.submit("Другое", "Вопрос", "service")
	api, _ := s.apiUser("robot", "staff")
	res := api.get("/api/v1/queue.csv?type=repair")
	require.Equal(t, http.StatusOK, res.status, res.body)
	assert.Equal(t, "no-store", res.header.Get("Cache-Control"))
	rows := readCSV(t, res.body)
	require.Len(t, rows, 1)
	assert.Equal(t, []string{strconv.FormatInt(id, 10), "Принтер", "repair", "open"}, rows[0][:4])
}

// pagedTickets watches how an export reads the store: how large a page it
// asks for, whether two reads ever overlap, and what the client had
// received when each read began.
type pagedTickets struct {
	application.Tickets
	maxLimit  atomic.Int64
	reading   atomic.Bool
	overlaps  atomic.Int64
	onSearch  func()
	searchesN atomic.Int64
}

func (p *pagedTickets) Search(ctx context.Context, f application.TicketFilter) (application.TicketPage, error) {
	if !p.reading.CompareAndSwap(false, true) {
		p.overlaps.Add(1)
	}
	defer p.reading.Store(false)
	if int64(f.Page.Limit) > p.maxLimit.Load() {
		p.maxLimit.Store(int64(f.Page.Limit))
	}
	p.searchesN.Add(1)
	if p.onSearch != nil {
		p.onSearch()
	}
	return p.Tickets.Search(ctx, f)
}

// linesWriter is a ResponseWriter that keeps nothing but how many lines
// it has been sent, as a client reading a download would.
type linesWriter struct {
	header http.Header
	lines  atomic.Int64
}

func (w *linesWriter) Header() http.Header { return w.header }
func (w *linesWriter) WriteHeader(int)     {}
func (w *linesWriter) Flush()              {}
func (w *linesWriter) Write(p []byte) (int, error) {
	w.lines.Add(int64(strings.Count(string(p), "\n")))
	return len(p), nil
}

// bulkTickets stores n tickets of owner directly, as the demo loader does.
func bulkTickets(t *testing.T, s *site, owner *domain.User, n int) {
	t.Helper()
	ts := make([]*domain.Ticket, n)
	for i := range ts {
		tk, err := domain.NewTicket(owner, fmt.Sprintf("Заявка номер %d с длинным названием", i), "текст", "repair", s.clock.Now())
		require.NoError(t, err)
		ts[i] = tk
	}
	require.NoError(t, s.store.Tickets.AddMany(context.Background(), ts))
}

// An export holds one page at a time: it asks the store for bounded pages,
// one after the other, and the client has every earlier row before the
// next page is read; the heap does not grow with the rows sent.
func TestQueueCSVStreamsOnePageAtATimeInFlatMemory(t *testing.T) {
	const n = 10_000
	watch := &pagedTickets{}
	s := newSite(t, withTickets(func(t application.Tickets) application.Tickets { watch.Tickets = t; return watch }))
	owner := s.createUser("owner", "user")
	staff := s.createUser("helper", "staff")
	bulkTickets(t, s, owner, n)

	out := &linesWriter{header: http.Header{}}
	var heap []uint64
	var seenAtRead []int64
	watch.onSearch = func() {
		seenAtRead = append(seenAtRead, out.lines.Load())
		if k := len(seenAtRead); k != 1 && k != n/application.MaxPageSize {
			return // the heap is measured at the first read and the last
		}
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		heap = append(heap, m.HeapAlloc)
	}
	req := httptest.NewRequest(http.MethodGet, "/admin/tickets.csv", nil)
	require.NoError(t, s.handler.streamQueueCSV(out, req, staff, queueFilter{}))

	assert.Equal(t, int64(n+1), out.lines.Load(), "a header and every ticket")
	assert.Equal(t, int64(application.MaxPageSize), watch.maxLimit.Load(), "bounded pages")
	assert.Zero(t, watch.overlaps.Load(), "one read at a time")
	require.Len(t, seenAtRead, n/application.MaxPageSize)
	for i, seen := range seenAtRead[1:] {
		require.Equal(t, int64(1+(i+1)*application.MaxPageSize), seen, "page %d was sent before the next was read", i)
	}
	// Holding the rows sent would take well over 1 MB (10,000 rows of ~90
	// bytes, and the tickets behind them); streaming holds one page.
	growth := int64(heap[len(heap)-1]) - int64(heap[0])
	t.Logf("heap growth %d bytes", growth)
	assert.Less(t, growth, int64(512<<10), "heap grew by %d bytes over the export", growth)
}

// An export while tickets are being submitted lists every ticket that was
// there when it began exactly once, and fails nothing.
func TestQueueCSVWhileTicketsAreWritten(t *testing.T) {
	const n = 3_000
	s := newSite(t)
	owner := s.createUser("owner", "user")
	staff := s.createUser("helper", "staff")
	bulkTickets(t, s, owner, n)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Go(func() {
		for ctx.Err() == nil {
			_, err := s.app.SubmitTicket.Handle(ctx, application.SubmitTicket{
				Actor: owner, Title: "Новая", Text: "пока идёт выгрузка", Type: "service",
			})
			if err == nil {
				written.Add(1)
			}
			if id := written.Load(); id%50 == 0 {
				_ = s.app.ChangeStatus.Handle(ctx, application.ChangeStatus{Actor: staff, TicketID: id%n + 1, Status: "closed"})
			}
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for written.Load() == 0 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	body := &strings.Builder{}
	rec := httptest.NewRecorder()

	w := &bodyKeeper{ResponseWriter: rec, body: body}
	req := httptest.NewRequest(http.MethodGet, "/admin/tickets.csv", nil)
	err := s.handler.streamQueueCSV(w, req, staff, queueFilter{})
	cancel()
	wg.Wait()
	require.NoError(t, err)
	require.Positive(t, written.Load(), "tickets were written meanwhile")

	rows := readCSV(t, body.String())
	seen := map[string]int{}
	for _, row := range rows {
		seen[row[0]]++
	}
	for id, times := range seen {
		assert.Equal(t, 1, times, "ticket %s listed once", id)
	}
	for id := 1; id <= n; id++ {
		assert.Equal(t, 1, seen[strconv.Itoa(id)], "ticket %d, there from the start", id)
	}
}

// bodyKeeper keeps the body in a builder.
type bodyKeeper struct {
	http.ResponseWriter
	body *strings.Builder
}

func (w *bodyKeeper) Write(p []byte) (int, error) { return w.body.Write(p) }
