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

var _ application.LinkTokens = (*LinkTokens)(nil)

// LinkTokens stores Telegram link tokens by hash.
type LinkTokens struct {
	db *sqlx.DB
}

// NewLinkTokens returns LinkTokens over db.
func NewLinkTokens(db *sqlx.DB) *LinkTokens { return &LinkTokens{db: db} }

type linkTokenRow struct {
	TokenHash string        `db:"token_hash"`
	UserID    int64         `db:"user_id"`
	CreatedAt int64         `db:"created_at"`
	ExpiresAt int64         `db:"expires_at"`
	UsedAt    sql.NullInt64 `db:"used_at"`
}

func (r linkTokenRow) toDomain() domain.LinkToken {
	t := domain.LinkToken{TokenHash: r.TokenHash, UserID: r.UserID, CreatedAt: fromMicros(r.CreatedAt), ExpiresAt: fromMicros(r.ExpiresAt)}
	if r.UsedAt.Valid {
		t.UsedAt = fromMicros(r.UsedAt.Int64)
	}
	return t
}

// Issue stores t and expires the user's older unused tokens at t.CreatedAt;
// the user's tokens that expired application.LinkTokenKeep before are
// deleted.
func (s *LinkTokens) Issue(ctx context.Context, t domain.LinkToken) error {
	now := toMicros(t.CreatedAt)
	return inTx(ctx, s.db, func(tx *sqlx.Tx) error {
		const expire = `UPDATE link_tokens SET expires_at = ? WHERE user_id = ? AND used_at IS NULL AND expires_at > ?`
		if _, err := tx.ExecContext(ctx, expire, now, t.UserID, now); err != nil {
			return fmt.Errorf("expire older link tokens: %w", err)
		}
		const purge = `DELETE FROM link_tokens WHERE user_id = ? AND expires_at < ?`
		if _, err := tx.ExecContext(ctx, purge, t.UserID, toMicros(t.CreatedAt.Add(-application.LinkTokenKeep))); err != nil {
			return fmt.Errorf("delete old link tokens: %w", err)
		}
		const insert = `INSERT INTO link_tokens (token_hash, user_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?)`
		var used sql.NullInt64
		if !t.UsedAt.IsZero() {
			used = sql.NullInt64{Int64: toMicros(t.UsedAt), Valid: true}
		}
		if _, err := tx.ExecContext(ctx, insert, t.TokenHash, t.UserID, now, toMicros(t.ExpiresAt), used); err != nil {
			return fmt.Errorf("insert link token: %w", err)
		}
		return nil
	})
}

// Consume marks the token used at now and returns it, or returns
// ErrLinkTokenInvalid, ErrLinkTokenUsed or ErrLinkTokenExpired. One
// statement spends it, so of two concurrent calls only one succeeds.
func (s *LinkTokens) Consume(ctx context.Context, tokenHash string, now time.Time) (domain.LinkToken, error) {
	const spend = `UPDATE link_tokens SET used_at = ?1
		WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1
		RETURNING token_hash, user_id, created_at, expires_at, used_at`
	var r linkTokenRow
	err := s.db.GetContext(ctx, &r, spend, toMicros(now), tokenHash)
	if err == nil {
		return r.toDomain(), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return domain.LinkToken{}, fmt.Errorf("spend link token: %w", err)
	}
	const get = `SELECT token_hash, user_id, created_at, expires_at, used_at FROM link_tokens WHERE token_hash = ?`
	err = s.db.GetContext(ctx, &r, get, tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.LinkToken{}, domain.ErrLinkTokenInvalid
	}
	if err != nil {
		return domain.LinkToken{}, fmt.Errorf("select link token: %w", err)
	}
	if err := r.toDomain().Check(fromMicros(toMicros(now))); err != nil {
		return domain.LinkToken{}, err
	}
	return domain.LinkToken{}, domain.ErrLinkTokenUsed // spent between the two statements
}

// DeleteStale deletes every token that expired before before and returns
// how many. It reads the index on expires_at.
func (s *LinkTokens) DeleteStale(ctx context.Context, before time.Time) (int, error) {
	const q = `DELETE FROM link_tokens WHERE expires_at < ?`
	res, err := s.db.ExecContext(ctx, q, toMicros(before))
	if err != nil {
		return 0, fmt.Errorf("delete stale link tokens: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete stale link tokens: %w", err)
	}
	return int(n), nil
}
