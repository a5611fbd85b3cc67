package sqlstore

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

var _ application.PasswordResets = (*PasswordResets)(nil)

// PasswordResets stores password-reset links, by the hash of the token.
type PasswordResets struct{ s *Store }

// NewPasswordResets returns PasswordResets over s.
func NewPasswordResets(s *Store) *PasswordResets { return &PasswordResets{s: s} }

const passwordResetColumns = `token_hash, user_id, created_at, expires_at, used_at`

type passwordResetRow struct {
	TokenHash string    `db:"token_hash"`
	UserID    int64     `db:"user_id"`
	CreatedAt timestamp `db:"created_at"`
	ExpiresAt timestamp `db:"expires_at"`
	UsedAt    timestamp `db:"used_at"`
}

func (r passwordResetRow) toDomain() domain.PasswordReset {
	return domain.PasswordReset{TokenHash: r.TokenHash, UserID: r.UserID, CreatedAt: r.CreatedAt.Time,
		ExpiresAt: r.ExpiresAt.Time, UsedAt: r.UsedAt.Time}
}

// Issue stores r and expires the user's older unused resets at r.CreatedAt;
// the user's resets that expired application.PasswordResetKeep before are
// deleted.
func (s *PasswordResets) Issue(ctx context.Context, r domain.PasswordReset) error {
	const (
		expire = `UPDATE password_resets SET expires_at = ? WHERE user_id = ? AND used_at IS NULL AND expires_at > ?`
		purge  = `DELETE FROM password_resets WHERE user_id = ? AND expires_at < ?`
		insert = `INSERT INTO password_resets (` + passwordResetColumns + `) VALUES (?, ?, ?, ?, ?)`
	)
	now := r.CreatedAt
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.s.exec(ctx, tx, expire, now, r.UserID, now); err != nil {
			return fmt.Errorf("expire older password resets: %w", err)
		}
		if _, err := s.s.exec(ctx, tx, purge, r.UserID, now.Add(-application.PasswordResetKeep)); err != nil {
			return fmt.Errorf("delete old password resets: %w", err)
		}
		if _, err := s.s.exec(ctx, tx, insert, r.TokenHash, r.UserID, now, r.ExpiresAt, r.UsedAt); err != nil {
			return fmt.Errorf("insert password reset: %w", err)
		}
		return nil
	})
}

// Get returns the reset stored under tokenHash, or ErrResetLinkInvalid.
func (s *PasswordResets) Get(ctx context.Context, tokenHash string) (domain.PasswordReset, error) {
	const q = `SELECT ` + passwordResetColumns + ` FROM password_resets WHERE token_hash = ?`
	var r passwordResetRow
	err := s.s.get(ctx, nil, &r, q, tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.PasswordReset{}, domain.ErrResetLinkInvalid
	}
	if err != nil {
		return domain.PasswordReset{}, fmt.Errorf("select password reset: %w", err)
	}
	return r.toDomain(), nil
}

// Consume marks the reset used at now and returns it, or returns
// ErrResetLinkInvalid. One statement spends it, so of two concurrent calls
// only one succeeds.
func (s *PasswordResets) Consume(ctx context.Context, tokenHash string, now time.Time) (domain.PasswordReset, error) {
	const q = `UPDATE password_resets SET used_at = ?
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
		RETURNING ` + passwordResetColumns
	now = now.UTC().Truncate(time.Microsecond)
	var r passwordResetRow
	err := s.s.get(ctx, nil, &r, q, now, tokenHash, now)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.PasswordReset{}, domain.ErrResetLinkInvalid
	}
	if err != nil {
		return domain.PasswordReset{}, fmt.Errorf("spend password reset: %w", err)
	}
	return r.toDomain(), nil
}
