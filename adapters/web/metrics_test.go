package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
)

func TestMetricsCountRequestsByRoutePattern(t *testing.T) {
	s := newSite(t)
	b, _ := s.loggedIn("alice", "user")
	id := b.submit("Kettle", "Broken", "repair")
	for range 3 {
		b.get(pathf("/tickets/{id}", id))
	}
	b.get("/no/such/page/12345")
	req, err := http.NewRequest("BREW", s.srv.URL+"/tickets", nil)
	require.NoError(t, err)
	b.do(req)

	r := s.browser().get("/metrics")
	require.Equal(t, http.StatusOK, r.status)
	assert.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8"),
		r.header.Get("Content-Type"))
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	body := r.body

	assert.Contains(t, body, "# TYPE http_requests_total counter\n")
	assert.Contains(t, body, `http_requests_total{method="GET",route="/tickets/{id}",status="200"} 3`+"\n")
	assert.Contains(t, body, `http_requests_total{method="POST",route="/tickets",status="303"} 1`+"\n")
	assert.Contains(t, body, `http_requests_total{method="GET",route="unmatched",status="404"} 1`+"\n")
	assert.Contains(t, body, `http_requests_total{method="OTHER",route="unmatched",status="405"} 1`+"\n")
	assert.NotContains(t, body, "12345", "raw paths never become labels")

	assert.Contains(t, body, "# TYPE http_request_duration_seconds histogram\n")
	assert.Contains(t, body, `http_request_duration_seconds_bucket{method="GET",route="/tickets/{id}",le="+Inf"} 3`+"\n")
	assert.Contains(t, body, `http_request_duration_seconds_count{method="GET",route="/tickets/{id}"} 3`+"\n")
	assert.Regexp(t, regexp.MustCompile(`http_request_duration_seconds_sum\{method="GET",route="/tickets/\{id\}"\} [0-9.e-]+\n`), body)
	assert.Contains(t, body, "http_requests_in_flight 1\n", "the scrape itself")

	assert.Regexp(t, regexp.MustCompile(`crm_build_info\{goversion="go[^"]+",revision="[^"]+",version="[^"]+"\} 1\n`), body)
	assert.NotContains(t, body, "crm_deliveries", "not without Options.Deliveries")
	assert.NotContains(t, body, "crm_telegram_sends_total", "nothing sent")

	sample := `^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? ([0-9.e+-]+|NaN|[+-]Inf)$`
	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		assert.Regexp(t, `^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$|`+sample, line)
	}
}

func TestMetricsIncludeTheRuntimeProcessAndBuild(t *testing.T) {
	s := newSite(t)
	s.browser().get("/healthz")
	body := s.browser().get("/metrics").body

	assert.Regexp(t, regexp.MustCompile(`(?m)^go_goroutines [0-9]+$`), body)
	assert.Regexp(t, regexp.MustCompile(`(?m)^go_memstats_heap_alloc_bytes [0-9.e+]+$`), body)
	assert.Regexp(t, regexp.MustCompile(`(?m)^go_gc_duration_seconds_count [0-9]+$`), body)
	assert.Regexp(t, regexp.MustCompile(`(?m)^go_build_info\{checksum="[^"]*",path="[^"]*",version="[^"]*"\} 1$`), body)
	assert.Regexp(t, regexp.MustCompile(`(?m)^crm_build_info\{goversion="`+regexp.QuoteMeta(runtime.Version())+`",`), body)
	if runtime.GOOS == "linux" {
		assert.Regexp(t, regexp.MustCompile(`(?m)^process_resident_memory_bytes [0-9.e+]+$`), body)
		assert.Regexp(t, regexp.MustCompile(`(?m)^process_cpu_seconds_total [0-9.e+-]+$`), body)
		assert.Regexp(t, regexp.MustCompile(`(?m)^process_open_fds [0-9.e+]+$`), body)
		assert.Regexp(t, regexp.MustCompile(`(?m)^process_start_time_seconds [0-9.e+]+$`), body)
	}
	assert.Contains(t, body, `promhttp_metric_handler_requests_total{code="200"} 0`+"\n", "counted once answered")
	assert.Contains(t, body, `http_requests_total{method="GET",route="/healthz",status="200"} 1`+"\n")
}

func TestMetricsUseARegistryOfTheirOwn(t *testing.T) {
	s := newSite(t)
	s.browser().get("/healthz")
	families, err := prometheus.DefaultGatherer.Gather()
	require.NoError(t, err)
	for _, f := range families {
		assert.NotContains(t, []string{"http_requests_total", "crm_build_info"}, f.GetName(),
			"nothing goes to Prometheus' global registry")
	}
	// Two handlers (two tests, two servers) do not clash.
	other := newSite(t)
	assert.Contains(t, other.browser().get("/metrics").body, "go_goroutines")
}

func TestMetricsHistogramBucketsAreCumulative(t *testing.T) {
	m := NewMetrics(nil)
	m.observe("GET", "GET /x", 200, 3*time.Millisecond)
	m.observe("GET", "GET /x", 200, 70*time.Millisecond)
	m.observe("GET", "GET /x", 500, 20*time.Second)
	out := scrape(t, m)
	assert.Contains(t, out, `http_request_duration_seconds_bucket{method="GET",route="/x",le="0.005"} 1`+"\n")
	assert.Contains(t, out, `http_request_duration_seconds_bucket{method="GET",route="/x",le="0.05"} 1`+"\n")
	assert.Contains(t, out, `http_request_duration_seconds_bucket{method="GET",route="/x",le="0.1"} 2`+"\n")
	assert.Contains(t, out, `http_request_duration_seconds_bucket{method="GET",route="/x",le="10"} 2`+"\n")
	assert.Contains(t, out, `http_request_duration_seconds_bucket{method="GET",route="/x",le="+Inf"} 3`+"\n")
	assert.Contains(t, out, `http_request_duration_seconds_sum{method="GET",route="/x"} 20.073`+"\n")
	assert.Contains(t, out, `http_requests_total{method="GET",route="/x",status="200"} 2`+"\n")
	assert.Contains(t, out, `http_requests_total{method="GET",route="/x",status="500"} 1`+"\n")
}

func TestMetricsCountTelegramSendsByResult(t *testing.T) {
	m := NewMetrics(nil)
	s := newSite(t, withOptions(func(o *Options) { o.Metrics = m }))
	m.CountTelegramSend("ok")
	m.CountTelegramSend("ok")
	m.CountTelegramSend("blocked")
	body := s.browser().get("/metrics").body
	assert.Contains(t, body, "# TYPE crm_telegram_sends_total counter\n")
	assert.Contains(t, body, `crm_telegram_sends_total{result="ok"} 2`+"\n")
	assert.Contains(t, body, `crm_telegram_sends_total{result="blocked"} 1`+"\n")
}

// scrape returns what GET /metrics answers from m.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.exposition.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	return rec.Body.String()
}

// countedDeliveries answers CountDeliveries with fixed totals per status,
// and OldestPendingAt with oldest, or both with err.
type countedDeliveries struct {
	application.Deliveries
	totals map[application.DeliveryStatus]int
	oldest time.Time
	err    error
}

func (d countedDeliveries) CountDeliveries(_ context.Context, statuses ...application.DeliveryStatus) (map[application.DeliveryStatus]int, error) {
	if d.err != nil {
		return nil, d.err
	}
	out := map[application.DeliveryStatus]int{}
	for _, s := range statuses {
		out[s] = d.totals[s]
	}
	return out, nil
}

func (d countedDeliveries) OldestPendingAt(context.Context) (time.Time, error) {
	return d.oldest, d.err
}

func TestMetricsReportPendingAndFailedDeliveriesAndTheOutboxLag(t *testing.T) {
	d := countedDeliveries{totals: map[application.DeliveryStatus]int{
		application.DeliveryPending: 2, application.DeliveryFailed: 1, application.DeliveryDone: 40,
	}}
	s := newSite(t, func(s *site, o *Options) {
		d.oldest = s.clock.Now().Add(-90 * time.Second)
		o.Deliveries, o.OldestPending = d, d
	})
	r := s.browser().get("/metrics")
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, r.body, "# TYPE crm_deliveries gauge\n")
	assert.Contains(t, r.body, `crm_deliveries{status="pending"} 2`+"\n")
	assert.Contains(t, r.body, `crm_deliveries{status="failed"} 1`+"\n")
	assert.NotContains(t, r.body, `status="done"`)
	assert.Contains(t, r.body, "# TYPE crm_outbox_lag_seconds gauge\n")
	assert.Contains(t, r.body, "crm_outbox_lag_seconds 90\n", "by the handler's clock")
	s.clock.Advance(time.Minute)
	assert.Contains(t, s.browser().get("/metrics").body, "crm_outbox_lag_seconds 150\n")

	idle := newSite(t, withOptions(func(o *Options) {
		o.Deliveries, o.OldestPending = countedDeliveries{}, countedDeliveries{}
	}))
	r = idle.browser().get("/metrics")
	assert.Contains(t, r.body, `crm_deliveries{status="pending"} 0`+"\n")
	assert.Contains(t, r.body, "crm_outbox_lag_seconds 0\n", "nothing pending")

	noLag := newSite(t, withOptions(func(o *Options) { o.Deliveries = d }))
	r = noLag.browser().get("/metrics")
	assert.Contains(t, r.body, `crm_deliveries{status="pending"} 2`+"\n")
	assert.NotContains(t, r.body, "crm_outbox_lag_seconds", "not without Options.OldestPending")

	down := newSite(t, withOptions(func(o *Options) {
		failing := countedDeliveries{err: errors.New("connection refused")}
		o.Deliveries, o.OldestPending = failing, failing
	}))
	r = down.browser().get("/metrics")
	require.Equal(t, http.StatusOK, r.status, "a scrape still answers while the database is away")
	assert.NotContains(t, r.body, "crm_deliveries{")
	assert.NotContains(t, r.body, "crm_outbox_lag_seconds ")
	assert.Contains(t, r.body, "http_requests_in_flight 1")
	assert.Contains(t, r.body, "go_goroutines")
	assert.Contains(t, down.logs.String(), "connection refused")
}
