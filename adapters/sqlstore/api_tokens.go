package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"crm/application"
	"crm/domain"
)

var _ application.APITokens = (*APITokens)(nil)

// APITokens stores API tokens by the hash of the token.
type APITokens struct{ s *Store }

// NewAPITokens returns APITokens over s.
func NewAPITokens(s *Store) *APITokens { return &APITokens{s: s} }

const apiTokenColumns = `id, token_hash, user_id, name, created_at, last_used_at`

type apiTokenRow struct {
	ID         int64     `db:"id"`
	TokenHash  string    `db:"token_hash"`
	UserID     int64     `db:"user_id"`
	Name       string    `db:"name"`
	CreatedAt  timestamp `db:"created_at"`
	LastUsedAt timestamp `db:"last_used_at"`
}

func (r apiTokenRow) toDomain() domain.APIToken {
	return domain.APIToken{ID: r.ID, TokenHash: r.TokenHash, UserID: r.UserID, Name: r.Name,
		CreatedAt: r.CreatedAt.Time, LastUsedAt: r.LastUsedAt.Time}
}

// Create stores t and sets its ID. A hash already stored, or an unknown
// user, is an error.
func (s *APITokens) Create(ctx context.Context, t *domain.APIToken) error {
	const q = `INSERT INTO api_tokens (token_hash, user_id, name, created_at, last_used_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`
	var id int64
	if err := s.s.get(ctx, nil, &id, q, t.TokenHash, t.UserID, t.Name, t.CreatedAt, t.LastUsedAt); err != nil {
		return fmt.Errorf("insert api token: %w", err)
	}
	t.ID = id
	return nil
}

// Get returns the token stored under tokenHash, or ErrAPITokenNotFound.
func (s *APITokens) Get(ctx context.Context, tokenHash string) (domain.APIToken, error) {
	const q = `SELECT ` + apiTokenColumns + ` FROM api_tokens WHERE token_hash = ?`
	var r apiTokenRow
	err := s.s.get(ctx, nil, &r, q, tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.APIToken{}, domain.ErrAPITokenNotFound
	}
	if err != nil {
		return domain.APIToken{}, fmt.Errorf("select api token: %w", err)
	}
	return r.toDomain(), nil
}

// Touch moves the token's last_used_at forward to at.
func (s *APITokens) Touch(ctx context.Context, tokenHash string, at time.Time) error {
	const q = `UPDATE api_tokens SET last_used_at = ?
		WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)`
	if _, err := s.s.exec(ctx, nil, q, at, tokenHash, at); err != nil {
		return fmt.Errorf("touch api token: %w", err)
	}
	return nil
}

// ListForUser returns the user's tokens, newest first.
func (s *APITokens) ListForUser(ctx context.Context, userID int64) ([]domain.APIToken, error) {
	const q = `SELECT ` + apiTokenColumns + ` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`
	var rows []apiTokenRow
	if err := s.s.sel(ctx, nil, &rows, q, userID); err != nil {
		return nil, fmt.Errorf("select api tokens of user %d: %w", userID, err)
	}
	out := make([]domain.APIToken, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// Delete revokes the token id of userID, or returns ErrAPITokenNotFound.
func (s *APITokens) Delete(ctx context.Context, userID, id int64) error {
	const q = `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`
	res, err := s.s.exec(ctx, nil, q, id, userID)
	if err != nil {
		return fmt.Errorf("delete api token %d: %w", id, err)
	}
	n, err := affected(res)
	if err != nil {
		return fmt.Errorf("delete api token %d: %w", id, err)
	}
	if n == 0 {
		return domain.ErrAPITokenNotFound
	}
	return nil
}

// DeleteForUser revokes every token of userID and returns how many.
func (s *APITokens) DeleteForUser(ctx context.Context, userID int64) (int, error) {
	const q = `DELETE FROM api_tokens WHERE user_id = ?`
	res, err := s.s.exec(ctx, nil, q, userID)
	if err != nil {
		return 0, fmt.Errorf("delete api tokens of user %d: %w", userID, err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("delete api tokens of user %d: %w", userID, err)
	}
	return n, nil
}
