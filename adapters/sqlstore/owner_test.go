package sqlstore_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
	"crm/domain"
)

// ownerAt is when the tests' owners are made.
var ownerAt = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// addOwner stores a person named name in st, made at ownerAt.
func addOwner(t *testing.T, st *sqlstore.Store, name string) *domain.User {
	t.Helper()
	owner, err := domain.NewUser(name, "hash", domain.RoleUser, ownerAt)
	require.NoError(t, err)
	require.NoError(t, sqlstore.NewUsers(st).Add(t.Context(), owner))
	return owner
}
