package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlite"
	"crm/test/apptest"
)

// TestBackupUnderConcurrentWrites runs `crm backup` while the server takes
// tickets as fast as one client submits them: the copy is a sound database
// holding every ticket acknowledged before the backup started.
func TestBackupUnderConcurrentWrites(t *testing.T) {
	a := startApp(t, "sqlite:"+filepath.Join(t.TempDir(), "crm.db"))
	// Enough tickets that the copy takes a while, with the writer busy.
	out, errOut, code := a.crm("", "demo", "--tickets", "2000", "--users", "5")
	require.Equal(t, 0, code, "demo: %s %s", out, errOut)
	a.mustCreateUser("writer", "correct-horse", "user")
	token := a.mustIssueToken("writer")

	// The writer submits tickets until told to stop, recording each id the
	// server acknowledged (201 with a Location).
	var (
		mu    sync.Mutex
		acked []string
	)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error, 1)
	go func() {
		done <- submitUntil(ctx, a.base, token, func(id string) { mu.Lock(); acked = append(acked, id); mu.Unlock() })
	}()
	ackedSoFar := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), acked...) }

	require.Eventually(t, func() bool { return len(ackedSoFar()) >= 20 }, 20*time.Second, 10*time.Millisecond, "tickets submitted")
	before := ackedSoFar()
	path := filepath.Join(t.TempDir(), "backup.db")
	out, errOut, code = a.crm("", "backup", path)
	during := len(ackedSoFar()) - len(before)
	stop()
	require.NoError(t, <-done)
	require.Equal(t, 0, code, "backup: %s %s", out, errOut)
	assert.Contains(t, out, path)
	assert.Positive(t, during, "tickets were acknowledged while the backup ran")
	t.Logf("%d tickets acknowledged before the backup, %d while it ran", len(before), during)

	db, err := sqlite.Open(t.Context(), path)
	require.NoError(t, err)
	defer db.Close()
	var check string
	require.NoError(t, db.Get(&check, "PRAGMA integrity_check"))
	assert.Equal(t, "ok", check)
	var ids []string
	require.NoError(t, db.Select(&ids, "SELECT CAST(id AS TEXT) FROM tickets"))
	copied := map[string]bool{}
	for _, id := range ids {
		copied[id] = true
	}
	var missing []string
	for _, id := range before {
		if !copied[id] {
			missing = append(missing, id)
		}
	}
	assert.Empty(t, missing, "every ticket acknowledged before the backup is in it")
	assert.GreaterOrEqual(t, len(ids), 2000+len(before), "and the demo's")
}

// submitUntil posts tickets to the API at base with token until ctx ends,
// calling acked with the id of each one the server stored.
func submitUntil(ctx context.Context, base, token string, acked func(id string)) error {
	for i := 0; ; i++ {
		body := fmt.Sprintf(`{"title":"Заявка %d","text":"Текст заявки %d.","type":"repair"}`, i, i)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/tickets", strings.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			return fmt.Errorf("submit ticket %d: status %d", i, res.StatusCode)
		}
		acked(strings.TrimPrefix(res.Header.Get("Location"), "/api/v1/tickets/"))
	}
}

func TestBackupRefuses(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CRM_DATABASE_URL": "sqlite:" + filepath.Join(dir, "crm.db"), "CRM_LOG_LEVEL": "warn"}
	_, errOut, code := apptest.Run(env, "", "migrate", "up")
	require.Equal(t, 0, code, errOut)

	t.Run("an existing file, which stays as it was", func(t *testing.T) {
		path := filepath.Join(dir, "taken.db")
		require.NoError(t, os.WriteFile(path, []byte("an older backup"), 0o600))
		_, errOut, code := apptest.Run(env, "", "backup", path)
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, path+" exists")
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "an older backup", string(got))
	})

	t.Run("a directory that does not exist, named in the error", func(t *testing.T) {
		missing := filepath.Join(dir, "no", "such")
		_, errOut, code := apptest.Run(env, "", "backup", filepath.Join(missing, "backup.db"))
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, missing)
		assert.Contains(t, errOut, "no such file or directory")
	})

	t.Run("no path, or two", func(t *testing.T) {
		for _, args := range [][]string{{"backup"}, {"backup", "a.db", "b.db"}} {
			_, errOut, code := apptest.Run(env, "", args...)
			assert.Equal(t, 2, code, args)
			assert.Contains(t, errOut, "crm backup PATH", args)
		}
	})

	t.Run("a database that is not there, which is not made", func(t *testing.T) {
		absent := filepath.Join(dir, "absent.db")
		env := map[string]string{"CRM_DATABASE_URL": "sqlite:" + absent, "CRM_LOG_LEVEL": "warn"}
		_, errOut, code := apptest.Run(env, "", "backup", filepath.Join(dir, "backup.db"))
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, absent)
		assert.NoFileExists(t, absent)
		assert.NoFileExists(t, filepath.Join(dir, "backup.db"))
	})

	t.Run("PostgreSQL, pointing to pg_dump", func(t *testing.T) {
		env := map[string]string{"CRM_DATABASE_URL": "postgres://crm@127.0.0.1:1/crm", "CRM_LOG_LEVEL": "warn"}
		_, errOut, code := apptest.Run(env, "", "backup", filepath.Join(dir, "pg.db"))
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, "pg_dump")
		assert.NoFileExists(t, filepath.Join(dir, "pg.db"))
	})
}
