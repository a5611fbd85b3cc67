package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/bootstrap"
)

// TestServeDrainsRequestsInFlightOnSignal runs `crm serve` as main does,
// cancels its context as SIGTERM would while a form is half sent, and checks
// the request still completes and the command exits 0.
func TestServeDrainsRequestsInFlightOnSignal(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "crm.db")
	env := map[string]string{"CRM_ADDR": "127.0.0.1:0", "CRM_DATABASE_URL": dbURL, "CRM_ARGON2_PARAMS": "m=64,t=1,p=1"}
	logR, logW := io.Pipe()
	ctx, signal := context.WithCancel(context.Background())
	defer signal()
	exit := make(chan int, 1)
	go func() {
		exit <- bootstrap.Run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, logW, func(k string) string { return env[k] })
		logW.Close()
	}()

	// Read the address from the log, then keep draining the log.
	lines := bufio.NewScanner(logR)
	addr := ""
	listening := regexp.MustCompile(`addr=http://([0-9.:]+)`)
	for addr == "" && lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
		}
	}
	require.NotEmpty(t, addr, "the server logs where it listens")
	go func() {
		for lines.Scan() {
		}
	}()

	// Requests being served, as /metrics counts them (with or without the
	// scrape itself: compared with a scrape before the form is sent).
	inFlight := func() float64 {
		res, err := http.Get("http://" + addr + "/metrics")
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		m := regexp.MustCompile(`(?m)^http_requests_in_flight (\S+)$`).FindSubmatch(b)
		require.NotNil(t, m, "http_requests_in_flight in /metrics")
		n, err := strconv.ParseFloat(string(m[1]), 64)
		require.NoError(t, err)
		return n
	}
	idle := inFlight()

	// Half a registration form: headers and part of the body.
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	body := "username=drained_user&password=correct-horse&password_confirm=correct-horse"
	_, err = fmt.Fprintf(conn, "POST /register HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		addr, len(body), body[:20])
	require.NoError(t, err)
	// Make sure the server is serving the form before the signal: a
	// connection whose request it has not read yet when shutdown begins is
	// closed unanswered (net/http), so answering another request on
	// another connection is not enough.
	require.Eventually(t, func() bool { return inFlight() > idle }, 10*time.Second, 10*time.Millisecond,
		"the half-sent form is being served")

	signal()
	// New connections are refused once shutdown has begun...
	require.Eventually(t, func() bool {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err != nil
	}, 10*time.Second, 20*time.Millisecond, "the listener closes")
	// ...but the request in flight is finished.
	_, err = io.WriteString(conn, body[20:])
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "the half-sent registration completes")

	select {
	case code := <-exit:
		assert.Equal(t, 0, code, "a signal is a clean exit")
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not return after the signal")
	}

	// The account exists: the drained request was really served.
	a := startApp(t, dbURL)
	assert.Equal(t, http.StatusSeeOther, a.browser().login("drained_user", "correct-horse").status)
}
