package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

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
	assert.Equal(t, "text/plain; version=0.0.4; charset=utf-8", r.header.Get("Content-Type"))
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

	assert.Regexp(t, regexp.MustCompile(`crm_build_info\{version="[^"]+",revision="[^"]+",goversion="go[^"]+"\} 1\n`), body)
	assert.Contains(t, body, "process_start_time_seconds ")
	assert.NotContains(t, body, "crm_deliveries", "not without Options.Deliveries")

	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		assert.Regexp(t, `^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+)$`, line)
	}
}

func TestMetricsHistogramBucketsAreCumulative(t *testing.T) {
	m := newMetrics(time.Now())
	m.observe("GET", "GET /x", 200, 3*time.Millisecond)
	m.observe("GET", "GET /x", 200, 70*time.Millisecond)
	m.observe("GET", "GET /x", 500, 20*time.Second)
	var b bytes.Buffer
	m.write(&b)
	out := b.String()
	assert.Contains(t, out, `http_request_duration_seconds_bucket{method="GET",route="/x",le="0.005"} 1`+"\n")
	assert.Contains(t, out, `http_request_duration_seconds_bucket{method="GET",route="/x",le="0.05"} 1`+"\n")
	assert.Contains(t, out, `http_request_duration_seconds_bucket{method="GET",route="/x",le="0.1"} 2`+"\n")
	assert.Contains(t, out, `http_request_duration_seconds_bucket{method="GET",route="/x",le="10"} 2`+"\n")
	assert.Contains(t, out, `http_request_duration_seconds_bucket{method="GET",route="/x",le="+Inf"} 3`+"\n")
	assert.Contains(t, out, `http_request_duration_seconds_sum{method="GET",route="/x"} 20.073`+"\n")
	assert.Contains(t, out, `http_requests_total{method="GET",route="/x",status="200"} 2`+"\n")
	assert.Contains(t, out, `http_requests_total{method="GET",route="/x",status="500"} 1`+"\n")
	assert.Equal(t, `"a\\b\"c\nd"`, label("a\\b\"c\nd"))
}

// countedDeliveries answers ListDeliveries with fixed totals per status,
// or with err.
type countedDeliveries struct {
	application.Deliveries
	totals map[application.DeliveryStatus]int
	err    error
}

func (d countedDeliveries) ListDeliveries(_ context.Context, f application.DeliveryFilter) (application.DeliveryPage, error) {
	if d.err != nil {
		return application.DeliveryPage{}, d.err
	}
	n := 0
	for _, s := range f.Statuses {
		n += d.totals[s]
	}
	return application.DeliveryPage{Total: n}, nil
}

func TestMetricsReportPendingAndFailedDeliveries(t *testing.T) {
	s := newSite(t, withOptions(func(o *Options) {
		o.Deliveries = countedDeliveries{totals: map[application.DeliveryStatus]int{
			application.DeliveryPending: 2, application.DeliveryFailed: 1, application.DeliveryDone: 40,
		}}
	}))
	r := s.browser().get("/metrics")
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, r.body, "# TYPE crm_deliveries gauge\n")
	assert.Contains(t, r.body, `crm_deliveries{status="pending"} 2`+"\n")
	assert.Contains(t, r.body, `crm_deliveries{status="failed"} 1`+"\n")
	assert.NotContains(t, r.body, `status="done"`)

	down := newSite(t, withOptions(func(o *Options) {
		o.Deliveries = countedDeliveries{err: errors.New("connection refused")}
	}))
	r = down.browser().get("/metrics")
	require.Equal(t, http.StatusOK, r.status, "a scrape still answers while the database is away")
	assert.NotContains(t, r.body, "crm_deliveries{")
	assert.Contains(t, r.body, "http_requests_total")
	assert.Contains(t, down.logs.String(), "connection refused")
}
