package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jmoiron/sqlx"
)

// Backup writes a consistent copy of the database db to path while others
// go on reading and writing it: VACUUM INTO copies one snapshot (a read
// transaction, which under WAL blocks no writer) into a new file beside
// path, which is synced and only then given the name path, so that a
// partial copy never bears it. Backup never overwrites: it returns an error
// wrapping fs.ErrExist when path exists, and an error naming the directory
// when path cannot be created there. It leaves nothing behind on failure.
func Backup(ctx context.Context, db *sqlx.DB, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup to %s: %w", path, fs.ErrExist)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".partial-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the partial file's name says nothing to the operator
		}
		return fmt.Errorf("backup to %s: directory %s: %w", path, dir, err)
	}
	name := tmp.Name()
	if err := tmp.Close(); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := copyInto(ctx, db, name, path); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// copyInto copies db into the empty file tmp, syncs it and links it to
// path, which must not exist; tmp is removed once it is path.
func copyInto(ctx context.Context, db *sqlx.DB, tmp, path string) error {
	// SQLite accepts an empty file as VACUUM INTO's target.
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fmt.Errorf("vacuum into %s: %w", tmp, err)
	}
	// VACUUM INTO does not sync what it wrote.
	if err := syncFile(tmp); err != nil {
		return err
	}
	// A link, unlike a rename, refuses a path made while the copy ran.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return err
	}
	return os.Remove(tmp)
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
