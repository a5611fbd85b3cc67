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

var _ application.LinkTokens = (*LinkTokens)(nil)

// LinkTokens stores the one-time tokens that link a Telegram chat, by hash.
type LinkTokens struct{ s *Store }

// NewLinkTokens returns LinkTokens over s.
func NewLinkTokens(s *Store) *LinkTokens { return &LinkTokens{s: s} }

type linkTokenRow struct {
	TokenHash string    `db:"token_hash"`
	UserID    int64     `db:"user_id"`
	CreatedAt timestamp `db:"created_at"`
	ExpiresAt timestamp `db:"expires_at"`
	UsedAt    timestamp `db:"used_at"`
}

func (r linkTokenRow) toDomain() domain.LinkToken {
	return domain.LinkToken{TokenHash: r.TokenHash, UserID: r.UserID, CreatedAt: r.CreatedAt.Time,
		ExpiresAt: r.ExpiresAt.Time, UsedAt: r.UsedAt.Time}
}

// Issue stores t and expires the user's older unused tokens at t.CreatedAt;
// the user's tokens that expired application.LinkTokenKeep before are
// deleted.
func (s *LinkTokens) Issue(ctx context.Context, t domain.LinkToken) error {
	const (
		expire = `UPDATE link_tokens SET expires_at = ? WHERE user_id = ? AND used_at IS NULL AND expires_at > ?`
		purge  = `DELETE FROM link_tokens WHERE user_id = ? AND expires_at < ?`
		insert = `INSERT INTO link_tokens (token_hash, user_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?)`
	)
	now := t.CreatedAt
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.s.exec(ctx, tx, expire, now, t.UserID, now); err != nil {
			return fmt.Errorf("expire older link tokens: %w", err)
		}
		if _, err := s.s.exec(ctx, tx, purge, t.UserID, now.Add(-application.LinkTokenKeep)); err != nil {
			return fmt.Errorf("delete old link tokens: %w", err)
		}
		if _, err := s.s.exec(ctx, tx, insert, t.TokenHash, t.UserID, now, t.ExpiresAt, t.UsedAt); err != nil {
			return fmt.Errorf("insert link token: %w", err)
		}
		return nil
	})
}

// Consume marks the token used at now and returns it, or returns
// ErrLinkTokenInvalid, ErrLinkTokenUsed or ErrLinkTokenExpired. One
// statement spends it, so of two concurrent calls only one succeeds.
func (s *LinkTokens) Consume(ctx context.Context, tokenHash string, now time.Time) (domain.LinkToken, error) {
	const (
		spend = `UPDATE link_tokens SET used_at = ?
			WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
			RETURNING token_hash, user_id, created_at, expires_at, used_at`
		get = `SELECT token_hash, user_id, created_at, expires_at, used_at FROM link_tokens WHERE token_hash = ?`
	)
	now = now.UTC().Truncate(time.Microsecond) // as stored, so the checks below agree with the database's
	var r linkTokenRow
	err := s.s.get(ctx, nil, &r, spend, now, tokenHash, now)
	if err == nil {
		return r.toDomain(), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return domain.LinkToken{}, fmt.Errorf("spend link token: %w", err)
	}
	err = s.s.get(ctx, nil, &r, get, tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.LinkToken{}, domain.ErrLinkTokenInvalid
	}
	if err != nil {
		return domain.LinkToken{}, fmt.Errorf("select link token: %w", err)
	}
	if err := r.toDomain().Check(now); err != nil {
		return domain.LinkToken{}, err
	}
	return domain.LinkToken{}, domain.ErrLinkTokenUsed // spent between the two statements
}

// DeleteStale deletes every token that expired before before and returns
// how many. It reads the index on expires_at.
func (s *LinkTokens) DeleteStale(ctx context.Context, before time.Time) (int, error) {
	const q = `DELETE FROM link_tokens WHERE expires_at < ?`
	res, err := s.s.exec(ctx, nil, q, before)
	if err != nil {
		return 0, fmt.Errorf("delete stale link tokens: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("delete stale link tokens: %w", err)
	}
	return n, nil
}
