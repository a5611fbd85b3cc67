package sqlstore

import (
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlite"
)

// A statement first met inside a transaction runs unprepared there (the
// transaction holds a connection the pool may need to prepare it) and is
// prepared once the transaction is over, for the next one.
func TestATransactionsStatementsArePreparedAfterIt(t *testing.T) {
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crm.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, sqlite.MigrateUp(db))
	s := New(db, SQLite)
	const q = `SELECT count(*) FROM tickets WHERE status = ?`
	cached := func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return s.stmts[q] != nil
	}

	require.NoError(t, s.inTx(t.Context(), func(tx *sqlx.Tx) error {
		var n int
		if err := s.get(t.Context(), tx, &n, q, "open"); err != nil {
			return err
		}
		assert.False(t, cached(), "not prepared while the transaction runs")
		return nil
	}))
	assert.True(t, cached(), "prepared once it is over")
}
