package migrations_test

import (
	"io/fs"
	"regexp"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/migrations"
)

var fileName = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.(up|down)\.sql$`)

// versions returns the migration versions in dir, checking that every file
// is well named and every up has its down.
func versions(t *testing.T, fsys fs.FS, dir string) []string {
	t.Helper()
	entries, err := fs.ReadDir(fsys, dir)
	require.NoError(t, err)
	ups, downs := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		m := fileName.FindStringSubmatch(e.Name())
		require.NotNil(t, m, "badly named migration %s/%s", dir, e.Name())
		if m[2] == "up" {
			ups[m[1]] = true
		} else {
			downs[m[1]] = true
		}
	}
	assert.Equal(t, ups, downs, "every up migration in %s needs a down, and back", dir)
	var out []string
	for v := range ups {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

func TestDialectsHaveTheSameVersions(t *testing.T) {
	sqlite := versions(t, migrations.SQLite, "sqlite")
	postgres := versions(t, migrations.Postgres, "postgres")
	require.NotEmpty(t, sqlite)
	assert.Equal(t, sqlite, postgres)
}
