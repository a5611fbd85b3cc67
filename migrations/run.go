package migrations

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/golang-migrate/migrate/v4"
)

// Up applies through m every migration not yet applied. A database that a
// newer build of crm migrated past this build's last migration is refused
// with a message saying so (golang-migrate only says it found no file for
// that version).
func Up(m *migrate.Migrate) error {
	err := m.Up()
	if err == nil || errors.Is(err, migrate.ErrNoChange) {
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		if v, _, verr := m.Version(); verr == nil {
			return fmt.Errorf("the database is at migration %d, which this build of crm does not have: "+
				"a newer build migrated it, and only a build at least as new can serve it (%w)", v, err)
		}
	}
	return err // the callers say "migrate up"
}

// Down reverts through m every applied migration.
func Down(m *migrate.Migrate) error {
	if err := m.Down(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate down: %w", err)
	}
	return nil
}

// Version returns the version m applied last and whether it failed halfway
// (dirty); 0, false when none is applied.
func Version(m *migrate.Migrate) (version uint, dirty bool, err error) {
	version, dirty, err = m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("migration version: %w", err)
	}
	return version, dirty, nil
}
