package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// dbCPU measures the CPU time PostgreSQL's backends spend for the server:
// on PostgreSQL a page's cost is crm's CPU and the database's, and the
// first alone hides half of it. It reads /proc for the backends connected
// to the server's database (pg_stat_activity), other than its own, so that
// work on other databases of the same cluster is not counted. A backend
// that starts during a round counts from zero; one that ends during it is
// lost, so the figure is a floor (the server keeps its pool open, so few
// do). Shared processes (WAL writer, checkpointer, autovacuum) are not in
// it.
type dbCPU struct {
	conn *pgx.Conn
}

// newDBCPU connects to the PostgreSQL database at dbURL; nil (no figure)
// for SQLite, or when /proc cannot be read.
func newDBCPU(dbURL string) (*dbCPU, error) {
	if !strings.HasPrefix(dbURL, "postgres") {
		return nil, nil
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("database CPU: %w", err)
	}
	return &dbCPU{conn: conn}, nil
}

// sample returns the CPU time used so far by each backend of the database
// but this one's, by process id.
func (d *dbCPU) sample() map[int]time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, err := d.conn.Query(ctx, `SELECT pid FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		return nil
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil
	}
	out := make(map[int]time.Duration, len(pids))
	for _, pid := range pids {
		out[int(pid)] = processCPU(int(pid))
	}
	return out
}

// since returns the CPU time the backends used since before, a sample.
func (d *dbCPU) since(before map[int]time.Duration) time.Duration {
	var total time.Duration
	for pid, t := range d.sample() {
		total += t - before[pid]
	}
	return total
}

func (d *dbCPU) close() {
	_ = d.conn.Close(context.Background())
}

// processCPU returns the CPU time process pid has used so far, user and
// system (/proc/PID/stat utime and stime); 0 when it cannot be read (off
// Linux, or the process has ended).
func processCPU(pid int) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, field 2, is in parentheses and may hold spaces;
	// utime and stime are fields 14 and 15.
	s := string(stat)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	user, _ := strconv.ParseUint(f[11], 10, 64)
	sys, _ := strconv.ParseUint(f[12], 10, 64)
	return time.Duration(user+sys) * time.Second / clockTicks
}
