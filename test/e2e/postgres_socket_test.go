package e2e

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/pgtest"
)

// socketDirs are where Debian's and upstream's PostgreSQL put their
// sockets.
var socketDirs = []string{"/var/run/postgresql", "/run/postgresql", "/tmp"}

// TestPostgresThroughItsUnixSocket runs the desk on a CRM_DATABASE_URL that
// names the server's socket directory instead of a host (cheaper than TCP
// on the same machine, see the README), and checks that its connections
// really came through the socket. It skips when the test server is not on
// this machine or has no socket here.
func TestPostgresThroughItsUnixSocket(t *testing.T) {
	tcpURL := pgtest.NewDatabase(t)
	u, err := url.Parse(tcpURL)
	require.NoError(t, err)
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "5432"
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		t.Skipf("the test server %s is not on this machine", host)
	}
	dir := ""
	for _, d := range socketDirs {
		if _, err := os.Stat(filepath.Join(d, ".s.PGSQL."+port)); err == nil {
			dir = d
			break
		}
	}
	if dir == "" {
		t.Skipf("no socket of port %s in %v", port, socketDirs)
	}
	socket := *u
	socket.Host = ""
	q := socket.Query()
	q.Set("host", dir)
	socket.RawQuery = q.Encode()

	a := startApp(t, socket.String())
	b := a.browser()
	b.mustSignUp("socket_user", "correct-horse")
	b.submit("Через сокет", "Заявка, сохранённая через сокет.", "service")
	list := b.get("/tickets")
	require.Equal(t, http.StatusOK, list.status)
	assert.Contains(t, list.body, "Через сокет")

	// The server's connections to this database came through the socket
	// (no client address), none over TCP.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, tcpURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	var viaSocket, viaTCP int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE client_addr IS NULL),
		count(*) FILTER (WHERE client_addr IS NOT NULL AND pid <> pg_backend_pid())
		FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`).
		Scan(&viaSocket, &viaTCP))
	assert.Positive(t, viaSocket, "connections through the socket")
	assert.Zero(t, viaTCP, "connections over TCP besides this test's")
}
