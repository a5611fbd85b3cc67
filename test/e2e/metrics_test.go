package e2e

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlite"
	"crm/test/fakebotapi"
)

// metrics scrapes GET /metrics without logging in, as Prometheus does.
func (a *app) metrics() string {
	a.t.Helper()
	r := a.browser().get("/metrics")
	require.Equal(a.t, http.StatusOK, r.status)
	return r.body
}

// metricValue returns the value of the sample series ("name" or
// `name{label="value"}`, labels as the exposition sorts them) in body.
func metricValue(body, series string) (float64, bool) {
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			return f, err == nil
		}
	}
	return 0, false
}

// waitForMetric scrapes until series has a value ok accepts, and fails
// after a while.
func (a *app) waitForMetric(series string, ok func(float64) bool) string {
	a.t.Helper()
	deadline := time.Now().Add(telegramWait)
	for {
		body := a.metrics()
		v, found := metricValue(body, series)
		if found && ok(v) {
			return body
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("%s: have %v (present: %v)", series, v, found)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func equal(want float64) func(float64) bool { return func(v float64) bool { return v == want } }
func atLeast(n float64) func(float64) bool  { return func(v float64) bool { return v >= n } }

func TestMetricsOfTheRunningApplication(t *testing.T) {
	srv := fakebotapi.New(t)
	a := startTelegramApp(t, "sqlite:"+t.TempDir()+"/crm.db", srv)
	owner := a.browser()
	owner.mustSignUp("metrics_owner", "correct-horse")
	id := owner.submit("Принтер", "Не печатает", "repair")
	owner.linkTelegram(srv, 7001, "metrics_owner")
	// The bot's reply is counted once its answer is back.
	body := a.waitForMetric(`crm_telegram_sends_total{result="ok"}`, atLeast(1))
	// The runtime, the process and the build.
	assert.Regexp(t, regexp.MustCompile(`(?m)^go_goroutines [0-9]+$`), body)
	assert.Regexp(t, regexp.MustCompile(`(?m)^go_build_info\{checksum="[^"]*",path="crm",version="[^"]*"\} 1$`), body)
	assert.Regexp(t, regexp.MustCompile(`(?m)^crm_build_info\{goversion="go[^"]+",revision="[^"]+",version="[^"]+"\} 1$`), body)
	if runtime.GOOS == "linux" {
		rss, ok := metricValue(body, "process_resident_memory_bytes")
		assert.True(t, ok && rss > 0, "process_resident_memory_bytes %v", rss)
		assert.Regexp(t, regexp.MustCompile(`(?m)^process_start_time_seconds [0-9.e+]+$`), body)
	}
	// The database's pool, and the line pages wait in for a slot (empty
	// between requests; on SQLite as many slots as connections).
	assert.Regexp(t, regexp.MustCompile(`(?m)^go_sql_open_connections\{db_name="crm"\} [1-9][0-9]*$`), body)
	assert.Regexp(t, regexp.MustCompile(`(?m)^go_sql_wait_count_total\{db_name="crm"\} [0-9]+$`), body)
	assert.Contains(t, body, "crm_http_reads_waiting 0\n")
	assert.Contains(t, body, fmt.Sprintf("crm_http_read_slots %d\n", sqlite.Connections()), "as many as SQLite's connections")
	// The requests so far, by route pattern.
	assert.Contains(t, body, `http_requests_total{method="POST",route="/tickets",status="303"} 1`+"\n")
	assert.Contains(t, body, `http_requests_total{method="POST",route="/account/telegram/link",status="303"} 1`+"\n")
	assert.NotContains(t, body, fmt.Sprintf("/tickets/%d", id), "never a raw path")
	// Nothing waits in the outbox.
	assert.Contains(t, body, `crm_deliveries{status="pending"} 0`+"\n")
	assert.Contains(t, body, `crm_deliveries{status="failed"} 0`+"\n")
	assert.Contains(t, body, "crm_outbox_lag_seconds 0\n")

	// Telegram goes down: the status notification waits, pending.
	srv.SetDown(true)
	staff := a.staffBrowser("metrics_staff", "staff")
	before := srv.Requests("sendMessage")
	r := staff.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"in_progress"}})
	require.Equal(t, http.StatusSeeOther, r.status)
	srv.WaitUntil(t, telegramWait, "a failed attempt", func() bool { return srv.Requests("sendMessage") > before })
	a.waitForMetric(`crm_telegram_sends_total{result="error"}`, atLeast(1))
	body = a.waitForMetric(`crm_deliveries{status="pending"}`, equal(1))
	assert.Contains(t, body, `crm_deliveries{status="failed"} 0`+"\n")
	lag, ok := metricValue(body, "crm_outbox_lag_seconds")
	assert.True(t, ok && lag > 0, "the pending event's age: %v", lag)
	assert.Contains(t, body, `http_requests_total{method="POST",route="/admin/tickets/{id}/status",status="303"} 1`+"\n")

	// Back up, but the person blocked the bot: the delivery is given up.
	srv.BlockChat(7001)
	srv.SetDown(false)
	// (A scrape reads the counters and the database at about the same
	// time, in no set order: wait for each.)
	// The counts are read together: the scrape that first counts the
	// delivery failed no longer counts it pending.
	body = a.waitForMetric(`crm_deliveries{status="failed"}`, equal(1))
	assert.Contains(t, body, `crm_deliveries{status="pending"} 0`+"\n")
	assert.Contains(t, body, "crm_outbox_lag_seconds 0\n")
	body = a.waitForMetric(`crm_telegram_sends_total{result="blocked"}`, equal(1))
	assert.Regexp(t, regexp.MustCompile(`(?m)^promhttp_metric_handler_requests_total\{code="200"\} [1-9][0-9]*$`), body)
}
