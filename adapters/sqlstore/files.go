package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/jmoiron/sqlx"

	"crm/application"
)

var _ application.Files = (*Files)(nil)

// Files reads the contents of attachments from file_blobs, where the
// tickets' transactions write them (see Tickets), once per distinct
// content.
type Files struct {
	s *Store
	// chunk is how many bytes a reader fetches at a time.
	chunk int64
}

// NewFiles returns Files over s.
func NewFiles(s *Store) *Files {
	f := &Files{s: s, chunk: blobChunk}
	if s.d == SQLite {
		// SQLite reads a whole value to take a substr of it: chunks would
		// read a file as many times as it has chunks. One read holds the
		// file in memory once, for as long as it is served.
		f.chunk = math.MaxInt64
	}
	return f
}

// blobChunk is how much of a file a reader holds at once on PostgreSQL,
// which keeps the content out of line and uncompressed (STORAGE EXTERNAL)
// and so reads only the chunk asked for.
const blobChunk = 256 << 10

const (
	selectBlobSize  = `SELECT size FROM file_blobs WHERE sha256 = ?`
	selectBlobChunk = `SELECT substr(content, ?, ?) FROM file_blobs WHERE sha256 = ?`
	insertBlob      = `INSERT INTO file_blobs (sha256, size, content) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING`
	// deleteBlobIfUnused deletes a blob that no attachment refers to any
	// more, as its content or its thumbnail.
	deleteBlobIfUnused = `DELETE FROM file_blobs WHERE sha256 = ?
		AND NOT EXISTS (SELECT 1 FROM ticket_attachments WHERE sha256 = ?)
		AND NOT EXISTS (SELECT 1 FROM ticket_attachments WHERE thumb_sha256 = ?)`
)

// Open returns a reader of the content with hash sha256, or
// application.ErrFileNotFound. The reader fetches the content in chunks
// with ctx; a content deleted while it is read ends the reading with
// io.ErrUnexpectedEOF.
func (f *Files) Open(ctx context.Context, sha256 string) (io.ReadCloser, error) {
	size, err := f.Size(ctx, sha256)
	if err != nil {
		return nil, err
	}
	return &blobReader{ctx: ctx, f: f, sha256: sha256, size: size}, nil
}

// Size returns the length of the content with hash sha256, or
// application.ErrFileNotFound.
func (f *Files) Size(ctx context.Context, sha256 string) (int64, error) {
	var size int64
	err := f.s.get(ctx, nil, &size, selectBlobSize, sha256)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, application.ErrFileNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("select size of file %s: %w", sha256, err)
	}
	return size, nil
}

// Exists reports whether content with hash sha256 is stored.
func (f *Files) Exists(ctx context.Context, sha256 string) (bool, error) {
	_, err := f.Size(ctx, sha256)
	if errors.Is(err, application.ErrFileNotFound) {
		return false, nil
	}
	return err == nil, err
}

// blobReader reads one stored content chunk by chunk.
type blobReader struct {
	ctx    context.Context
	f      *Files
	sha256 string
	size   int64
	off    int64  // bytes fetched so far
	buf    []byte // fetched and not yet read
}

func (r *blobReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		if r.off >= r.size {
			return 0, io.EOF
		}
		n := min(r.f.chunk, r.size-r.off)
		var chunk []byte
		err := r.f.s.get(r.ctx, nil, &chunk, selectBlobChunk, r.off+1, n, r.sha256)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && int64(len(chunk)) != n) {
			return 0, io.ErrUnexpectedEOF
		}
		if err != nil {
			return 0, fmt.Errorf("read file %s at %d: %w", r.sha256, r.off, err)
		}
		r.buf, r.off = chunk, r.off+n
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *blobReader) Close() error {
	r.buf, r.off = nil, r.size
	return nil
}

// insertBlobs stores content under its hash unless it is stored already.
func (s *Store) insertBlob(ctx context.Context, tx *sqlx.Tx, sha256 string, content []byte) error {
	if _, err := s.exec(ctx, tx, insertBlob, sha256, int64(len(content)), content); err != nil {
		return fmt.Errorf("insert file %s: %w", sha256, err)
	}
	return nil
}

// deleteUnusedBlob deletes the content with hash sha256 when no
// attachment refers to it any more.
func (s *Store) deleteUnusedBlob(ctx context.Context, tx *sqlx.Tx, sha256 string) error {
	if sha256 == "" {
		return nil
	}
	if _, err := s.exec(ctx, tx, deleteBlobIfUnused, sha256, sha256, sha256); err != nil {
		return fmt.Errorf("delete file %s: %w", sha256, err)
	}
	return nil
}
