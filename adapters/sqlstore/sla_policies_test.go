package sqlstore_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
	"crm/domain"
	"crm/test/dbtest"
)

// Policies are read once a second at most, since every submission asks
// for them: a policy saved through the same SLAPolicies is read at once,
// one saved by another replica within a second or so.
func TestSLAPoliciesSavedElsewhereApplyWithinASecond(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	here := sqlstore.NewSLAPolicies(sqlstore.New(db, sqlstore.SQLite))
	there := sqlstore.NewSLAPolicies(sqlstore.New(db, sqlstore.SQLite))
	policy := func(response time.Duration) domain.SLAPolicy {
		p, err := domain.NewSLAPolicy(domain.TypeRepair, response, 48*time.Hour, domain.AllWeek)
		require.NoError(t, err)
		return p
	}
	response := func(s *sqlstore.SLAPolicies) time.Duration {
		t.Helper()
		all, err := s.Policies(t.Context())
		require.NoError(t, err)
		return all[domain.TypeRepair].Response
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

	require.NoError(t, here.SavePolicy(t.Context(), policy(time.Hour), now))
	assert.Equal(t, time.Hour, response(here), "saved here, read here at once")
	assert.Equal(t, time.Hour, response(there))

	require.NoError(t, here.SavePolicy(t.Context(), policy(2*time.Hour), now))
	assert.Equal(t, 2*time.Hour, response(here), "saved here again, read here at once")
	assert.Eventually(t, func() bool { return response(there) == 2*time.Hour }, 5*time.Second, 50*time.Millisecond,
		"saved by another replica, read there within a second or so")
}
