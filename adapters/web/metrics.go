package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"crm/application"
)

// GET /metrics answers in the Prometheus text exposition format (0.0.4):
//
//   - http_requests_total{method,route,status}: a counter per route, where
//     route is the ServeMux pattern without its method ("/tickets/{id}"),
//     or "unmatched", so the number of series stays bounded whatever paths
//     are asked for;
//   - http_request_duration_seconds{method,route}: a histogram;
//   - crm_build_info{version,revision,goversion}: always 1;
//   - process_start_time_seconds;
//   - crm_deliveries{status}: pending and failed deliveries, when
//     Options.Deliveries is set.
//
// It shows no personal data and needs no login: it is meant to be scraped
// from a private network. Keep it off the public internet at the proxy.

// durationBuckets are the upper bounds of the duration histogram, in
// seconds (Prometheus' defaults).
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metricsTimeout bounds the database queries of one scrape.
const metricsTimeout = 2 * time.Second

// metrics counts the requests served.
type metrics struct {
	started time.Time

	mu        sync.Mutex
	requests  map[requestSeries]uint64
	durations map[durationSeries]*histogram
}

type requestSeries struct {
	method, route string
	status        int
}

type durationSeries struct{ method, route string }

type histogram struct {
	buckets []uint64 // per upper bound of durationBuckets, not cumulative
	sum     float64
	count   uint64
}

func newMetrics(started time.Time) *metrics {
	return &metrics{started: started, requests: map[requestSeries]uint64{}, durations: map[durationSeries]*histogram{}}
}

// observe counts one request that pattern served (or "" when no route
// matched) with status, in d.
func (m *metrics) observe(method, pattern string, status int, d time.Duration) {
	method, route := metricMethod(method), metricRoute(pattern)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestSeries{method, route, status}]++
	key := durationSeries{method, route}
	hist := m.durations[key]
	if hist == nil {
		hist = &histogram{buckets: make([]uint64, len(durationBuckets))}
		m.durations[key] = hist
	}
	s := d.Seconds()
	if i, _ := slices.BinarySearch(durationBuckets, s); i < len(durationBuckets) {
		hist.buckets[i]++
	}
	hist.sum += s
	hist.count++
}

// metricMethod keeps the standard methods and calls anything else OTHER,
// so that made-up methods add no series.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// metricRoute is a pattern without its method: "GET /tickets/{id}" is
// "/tickets/{id}"; no pattern is "unmatched".
func metricRoute(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if _, path, ok := strings.Cut(pattern, " "); ok {
		return strings.TrimSpace(path)
	}
	return pattern
}

// write writes the request metrics, sorted so that scrapes compare.
func (m *metrics) write(b *bytes.Buffer) {
	m.mu.Lock()
	defer m.mu.Unlock()

	b.WriteString("# HELP http_requests_total HTTP requests served, by method, route pattern and status.\n")
	b.WriteString("# TYPE http_requests_total counter\n")
	reqs := make([]requestSeries, 0, len(m.requests))
	for k := range m.requests {
		reqs = append(reqs, k)
	}
	slices.SortFunc(reqs, func(a, b requestSeries) int {
		return cmpSeries(a.route, b.route, a.method, b.method, a.status, b.status)
	})
	for _, k := range reqs {
		fmt.Fprintf(b, "http_requests_total{method=%s,route=%s,status=\"%d\"} %d\n",
			label(k.method), label(k.route), k.status, m.requests[k])
	}

	b.WriteString("# HELP http_request_duration_seconds Time to serve HTTP requests, by method and route pattern.\n")
	b.WriteString("# TYPE http_request_duration_seconds histogram\n")
	durs := make([]durationSeries, 0, len(m.durations))
	for k := range m.durations {
		durs = append(durs, k)
	}
	slices.SortFunc(durs, func(a, b durationSeries) int { return cmpSeries(a.route, b.route, a.method, b.method, 0, 0) })
	for _, k := range durs {
		hist := m.durations[k]
		labels := "method=" + label(k.method) + ",route=" + label(k.route)
		var cumulative uint64
		for i, le := range durationBuckets {
			cumulative += hist.buckets[i]
			fmt.Fprintf(b, "http_request_duration_seconds_bucket{%s,le=\"%s\"} %d\n", labels, formatFloat(le), cumulative)
		}
		fmt.Fprintf(b, "http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", labels, hist.count)
		fmt.Fprintf(b, "http_request_duration_seconds_sum{%s} %s\n", labels, formatFloat(hist.sum))
		fmt.Fprintf(b, "http_request_duration_seconds_count{%s} %d\n", labels, hist.count)
	}
}

func cmpSeries(routeA, routeB, methodA, methodB string, statusA, statusB int) int {
	if c := strings.Compare(routeA, routeB); c != 0 {
		return c
	}
	if c := strings.Compare(methodA, methodB); c != 0 {
		return c
	}
	return statusA - statusB
}

// label quotes a label value as the exposition format wants: backslash,
// double quote and newline escaped.
func label(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v) + `"`
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// buildInfo reads the version, the VCS revision and the Go version the
// binary was built with; "unknown" where the build did not record them.
func buildInfo() (version, revision, goVersion string) {
	version, revision, goVersion = "unknown", "unknown", runtime.Version()
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	if bi.Main.Version != "" {
		version = bi.Main.Version
	}
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified && revision != "unknown" {
		revision += "-dirty"
	}
	return
}

// serveMetrics answers GET /metrics.
func (h *Handler) serveMetrics(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	h.metrics.write(&b)

	version, revision, goVersion := buildInfo()
	b.WriteString("# HELP crm_build_info The version of crm that is running; always 1.\n")
	b.WriteString("# TYPE crm_build_info gauge\n")
	fmt.Fprintf(&b, "crm_build_info{version=%s,revision=%s,goversion=%s} 1\n", label(version), label(revision), label(goVersion))
	b.WriteString("# HELP process_start_time_seconds When the process started, in seconds since the Unix epoch.\n")
	b.WriteString("# TYPE process_start_time_seconds gauge\n")
	fmt.Fprintf(&b, "process_start_time_seconds %s\n", formatFloat(float64(h.metrics.started.UnixMilli())/1000))

	if h.deliveries != nil {
		h.writeDeliveryCounts(r.Context(), &b)
	}

	hd := w.Header()
	hd.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = b.WriteTo(w)
}

// writeDeliveryCounts adds the number of pending and failed deliveries.
// When the database does not answer in time, the gauge is left out (and
// the cause logged) rather than failing the scrape.
func (h *Handler) writeDeliveryCounts(ctx context.Context, b *bytes.Buffer) {
	ctx, cancel := context.WithTimeout(ctx, metricsTimeout)
	defer cancel()
	statuses := []application.DeliveryStatus{application.DeliveryPending, application.DeliveryFailed}
	counts := make([]int, len(statuses))
	for i, s := range statuses {
		page, err := h.deliveries.ListDeliveries(ctx, application.DeliveryFilter{
			Statuses: []application.DeliveryStatus{s}, Page: application.Page{Limit: 1},
		})
		if err != nil {
			h.log.WarnContext(ctx, "metrics: count deliveries",
				slog.String("request_id", requestID(ctx)), slog.Any("error", err))
			return
		}
		counts[i] = page.Total
	}
	b.WriteString("# HELP crm_deliveries Deliveries of events (Telegram messages, webhooks) waiting or given up, by status.\n")
	b.WriteString("# TYPE crm_deliveries gauge\n")
	for i, s := range statuses {
		fmt.Fprintf(b, "crm_deliveries{status=%s} %d\n", label(string(s)), counts[i])
	}
}
