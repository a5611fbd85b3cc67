package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"crm/application"
	"crm/domain"
)

var _ application.SavedReplies = (*SavedReplies)(nil)

// SavedReplies stores saved replies in saved_replies; the author's name is
// read from users.
type SavedReplies struct{ s *Store }

// NewSavedReplies returns SavedReplies over s.
func NewSavedReplies(s *Store) *SavedReplies { return &SavedReplies{s: s} }

const savedReplySelect = `SELECT r.id, r.author_id, u.username AS author_name, r.shared, r.name, r.text,
	r.created_at, r.updated_at FROM saved_replies r JOIN users u ON u.id = r.author_id`

type savedReplyRow struct {
	ID         int64     `db:"id"`
	AuthorID   int64     `db:"author_id"`
	AuthorName string    `db:"author_name"`
	Shared     bool      `db:"shared"`
	Name       string    `db:"name"`
	Text       string    `db:"text"`
	CreatedAt  timestamp `db:"created_at"`
	UpdatedAt  timestamp `db:"updated_at"`
}

func (r savedReplyRow) toDomain() domain.SavedReply {
	return domain.SavedReply{ID: r.ID, AuthorID: r.AuthorID, AuthorName: r.AuthorName, Shared: r.Shared,
		Name: r.Name, Text: r.Text, CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
}

// replyError maps a write's error: the only unique constraint of the
// table is the name in its scope.
func (s *SavedReplies) replyError(err error) error {
	if s.s.d.uniqueViolation(err) != "" {
		return domain.ErrSavedReplyNameTaken
	}
	return err
}

// Add stores r and sets its ID and AuthorName, or returns
// ErrSavedReplyNameTaken.
func (s *SavedReplies) Add(ctx context.Context, r *domain.SavedReply) error {
	const q = `INSERT INTO saved_replies (author_id, scope_id, shared, name, name_key, text, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	var id int64
	err := s.s.get(ctx, nil, &id, q, r.AuthorID, r.ScopeID(), r.Shared, r.Name, r.NameKey(), r.Text, r.CreatedAt, r.UpdatedAt)
	if err != nil {
		return fmt.Errorf("insert saved reply: %w", s.replyError(err))
	}
	stored, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	*r = stored
	return nil
}

// Get returns reply id, or ErrSavedReplyNotFound.
func (s *SavedReplies) Get(ctx context.Context, id int64) (domain.SavedReply, error) {
	return s.get(ctx, nil, id, "")
}

func (s *SavedReplies) get(ctx context.Context, tx *sqlx.Tx, id int64, lock string) (domain.SavedReply, error) {
	q := savedReplySelect + ` WHERE r.id = ?` + lock
	var r savedReplyRow
	err := s.s.get(ctx, tx, &r, q, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.SavedReply{}, domain.ErrSavedReplyNotFound
	}
	if err != nil {
		return domain.SavedReply{}, fmt.Errorf("select saved reply %d: %w", id, err)
	}
	return r.toDomain(), nil
}

// Update loads reply id locked, calls fn and writes what fn left, in one
// transaction.
func (s *SavedReplies) Update(ctx context.Context, id int64, fn func(r *domain.SavedReply) error) error {
	const q = `UPDATE saved_replies SET scope_id = ?, shared = ?, name = ?, name_key = ?, text = ?, updated_at = ?
		WHERE id = ?`
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		lock := s.s.d.lockRow
		if lock != "" {
			lock += " OF r" // the reply, not its author's row
		}
		r, err := s.get(ctx, tx, id, lock)
		if err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
		if _, err := s.s.exec(ctx, tx, q, r.ScopeID(), r.Shared, r.Name, r.NameKey(), r.Text, r.UpdatedAt, id); err != nil {
			return fmt.Errorf("update saved reply %d: %w", id, s.replyError(err))
		}
		return nil
	})
}

// Delete removes reply id, or returns ErrSavedReplyNotFound.
func (s *SavedReplies) Delete(ctx context.Context, id int64) error {
	const q = `DELETE FROM saved_replies WHERE id = ?`
	res, err := s.s.exec(ctx, nil, q, id)
	if err != nil {
		return fmt.Errorf("delete saved reply %d: %w", id, err)
	}
	n, err := affected(res)
	if err != nil {
		return fmt.Errorf("delete saved reply %d: %w", id, err)
	}
	if n == 0 {
		return domain.ErrSavedReplyNotFound
	}
	return nil
}

// ListFor returns the shared replies and userID's own, by name, from the
// index on (scope_id, name_key).
func (s *SavedReplies) ListFor(ctx context.Context, userID int64) ([]domain.SavedReply, error) {
	const q = savedReplySelect + ` WHERE r.scope_id IN (0, ?) ORDER BY r.name_key, r.id LIMIT ?`
	var rows []savedReplyRow
	if err := s.s.sel(ctx, nil, &rows, q, userID, application.MaxSavedReplies); err != nil {
		return nil, fmt.Errorf("select saved replies of user %d: %w", userID, err)
	}
	out := make([]domain.SavedReply, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}
