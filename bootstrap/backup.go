package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"crm/adapters/sqlite"
)

// runBackup is `crm backup PATH`: a consistent copy of the SQLite database
// in the new file PATH, taken while the server goes on serving. PostgreSQL
// has pg_dump for that, and an existing PATH is never overwritten.
func runBackup(ctx context.Context, c Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return usageError{"want: crm backup PATH (a new file)"}
	}
	path := args[0]
	if c.Database.Dialect != "sqlite" {
		return usageError{"this command copies a SQLite database; for PostgreSQL use pg_dump -Fc (README: \"Backup and restore\")"}
	}
	// Opening would create an empty database where there is none.
	file, _, _ := strings.Cut(c.Database.DSN, "?")
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("database %s (CRM_DATABASE_URL): %w", file, err)
	}
	db, err := sqlite.Open(ctx, c.Database.DSN)
	if err != nil {
		return fmt.Errorf("open SQLite database %s (CRM_DATABASE_URL): %w", c.Database.DSN, err)
	}
	defer func() { _ = db.Close() }()
	if err := sqlite.Backup(ctx, db, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return usageError{fmt.Sprintf("%s exists; a backup never overwrites a file: name a new one", path)}
		}
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", file, path)
	return nil
}
