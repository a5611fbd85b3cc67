package web

import (
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// GET /metrics answers in the Prometheus text format, through promhttp,
// from a registry of its own (never the process-wide default one):
//
//   - http_requests_total{method,route,status}: a counter per route, where
//     route is the ServeMux pattern without its method ("/tickets/{id}"),
//     or "unmatched", so the number of series stays bounded whatever paths
//     are asked for; method is an upper-case standard method or OTHER;
//   - http_request_duration_seconds{method,route}: a histogram, with
//     Prometheus' default buckets;
//   - http_requests_in_flight: requests being served;
//   - crm_build_info{version,revision,goversion}: always 1;
//   - crm_deliveries{status} (pending and failed) and
//     crm_outbox_lag_seconds, when Options.Deliveries is set
//     (metrics_deliveries.go);
//   - crm_telegram_sends_total{result}: the messages the bot tried to send
//     (Metrics.CountTelegramSend);
//   - the Go runtime (go_goroutines, go_memstats_…, go_gc_…), the process
//     (process_cpu_seconds_total, process_resident_memory_bytes,
//     process_open_fds, process_start_time_seconds, … where the system
//     tells them: Linux, Windows, macOS) and go_build_info;
//   - promhttp_metric_handler_requests_total{code}: the scrapes.
//
// It shows no personal data and needs no login: it is meant to be scraped
// from a private network. Keep it off the public internet at the proxy.

// Metrics is the registry GET /metrics serves, with the collectors of the
// requests the handler serves and of the Telegram messages sent. Make it
// with NewMetrics; it serves one Handler.
type Metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	durations     *prometheus.HistogramVec
	inFlight      prometheus.Gauge
	telegramSends *prometheus.CounterVec
	exposition    http.Handler
}

// NewMetrics returns a registry with the request and Telegram collectors,
// the Go runtime, process and build collectors and crm_build_info. log
// hears of collectors that fail during a scrape (nil discards); the scrape
// then answers without their metrics.
func NewMetrics(log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests served, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to serve HTTP requests, by method and route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		telegramSends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crm_telegram_sends_total",
			Help: "Messages the Telegram bot tried to send, by result: ok, rate_limited, blocked, rejected or error.",
		}, []string{"result"}),
	}
	version, revision, goVersion := buildInfo()
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "crm_build_info",
		Help:        "The version of crm that is running; always 1.",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": goVersion},
	})
	build.Set(1)
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
		m.requests, m.durations, m.inFlight, m.telegramSends, build,
	)
	m.exposition = promhttp.InstrumentMetricHandler(m.reg, promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      promLogger{log},
		ErrorHandling: promhttp.ContinueOnError,
	}))
	return m
}

// CountTelegramSend counts one message the Telegram bot tried to send, by
// result (telegram.SendRecorder).
func (m *Metrics) CountTelegramSend(result string) {
	m.telegramSends.WithLabelValues(result).Inc()
}

// WatchDatabase adds the connection pool of db: connections open, in use
// and idle, and how often and how long queries waited for one
// (go_sql_*{db_name="crm"}).
func (m *Metrics) WatchDatabase(db *sql.DB) error {
	return m.register(collectors.NewDBStatsCollector(db, "crm"))
}

// register adds a collector of the handler's own, such as the delivery
// counts.
func (m *Metrics) register(c prometheus.Collector) error {
	if err := m.reg.Register(c); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}

// instrument counts the requests in flight through next.
func (m *Metrics) instrument(next http.Handler) http.Handler {
	return promhttp.InstrumentHandlerInFlight(m.inFlight, next)
}

// observe counts one request that pattern served (or "" when no route
// matched) with status, in d.
func (m *Metrics) observe(method, pattern string, status int, d time.Duration) {
	method, route := metricMethod(method), metricRoute(pattern)
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.durations.WithLabelValues(method, route).Observe(d.Seconds())
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
	w.Header().Set("Cache-Control", "no-store")
	h.metrics.exposition.ServeHTTP(w, r)
}

// promLogger hands promhttp's errors to slog.
type promLogger struct{ log *slog.Logger }

func (l promLogger) Println(v ...any) {
	l.log.Warn("metrics: " + strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}
