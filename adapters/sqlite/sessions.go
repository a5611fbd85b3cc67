package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"crm/application"
	"crm/domain"
)

var _ application.Sessions = (*Sessions)(nil)

// Sessions stores logged-in browsers by the hash of their token.
type Sessions struct {
	db *sqlx.DB
}

// NewSessions returns Sessions over db.
func NewSessions(db *sqlx.DB) *Sessions { return &Sessions{db: db} }

type sessionRow struct {
	TokenHash string `db:"token_hash"`
	UserID    int64  `db:"user_id"`
	CreatedAt int64  `db:"created_at"`
	ExpiresAt int64  `db:"expires_at"`
}

func sessionFromDomain(s domain.Session) sessionRow {
	return sessionRow{TokenHash: s.TokenHash, UserID: s.UserID, CreatedAt: toMicros(s.CreatedAt), ExpiresAt: toMicros(s.ExpiresAt)}
}

func (r sessionRow) toDomain() domain.Session {
	return domain.Session{TokenHash: r.TokenHash, UserID: r.UserID, CreatedAt: fromMicros(r.CreatedAt), ExpiresAt: fromMicros(r.ExpiresAt)}
}

// Create stores s. A token hash already stored, or an unknown user, is an
// error.
func (s *Sessions) Create(ctx context.Context, sess domain.Session) error {
	const q = `INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
		VALUES (:token_hash, :user_id, :created_at, :expires_at)`
	if _, err := s.db.NamedExecContext(ctx, q, sessionFromDomain(sess)); err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// Get returns the session stored under tokenHash, or ErrSessionNotFound.
func (s *Sessions) Get(ctx context.Context, tokenHash string) (domain.Session, error) {
	const q = `SELECT token_hash, user_id, created_at, expires_at FROM sessions WHERE token_hash = ?`
	var r sessionRow
	err := s.db.GetContext(ctx, &r, q, tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Session{}, domain.ErrSessionNotFound
	}
	if err != nil {
		return domain.Session{}, fmt.Errorf("select session: %w", err)
	}
	return r.toDomain(), nil
}

// Delete ends one session; an unknown one is not an error.
func (s *Sessions) Delete(ctx context.Context, tokenHash string) error {
	const q = `DELETE FROM sessions WHERE token_hash = ?`
	if _, err := s.db.ExecContext(ctx, q, tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteForUser ends every session of userID.
func (s *Sessions) DeleteForUser(ctx context.Context, userID int64) error {
	const q = `DELETE FROM sessions WHERE user_id = ?`
	if _, err := s.db.ExecContext(ctx, q, userID); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpired deletes every session over at now and returns how many. It
// reads the index on expires_at.
func (s *Sessions) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	const q = `DELETE FROM sessions WHERE expires_at <= ?`
	res, err := s.db.ExecContext(ctx, q, toMicros(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int(n), nil
}
