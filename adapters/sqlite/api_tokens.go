package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"crm/application"
)

var _ application.APITokens = (*APITokens)(nil)

// APITokens stores API tokens by the hash of the token.
type APITokens struct {
	db *sqlx.DB
}

// NewAPITokens returns APITokens over db.
func NewAPITokens(db *sqlx.DB) *APITokens { return &APITokens{db: db} }

type apiTokenRow struct {
	ID         int64         `db:"id"`
	TokenHash  string        `db:"token_hash"`
	UserID     int64         `db:"user_id"`
	Name       string        `db:"name"`
	CreatedAt  int64         `db:"created_at"`
	LastUsedAt sql.NullInt64 `db:"last_used_at"`
}

func apiTokenFromDomain(t application.APIToken) apiTokenRow {
	r := apiTokenRow{ID: t.ID, TokenHash: t.TokenHash, UserID: t.UserID, Name: t.Name, CreatedAt: toMicros(t.CreatedAt)}
	if !t.LastUsedAt.IsZero() {
		r.LastUsedAt = sql.NullInt64{Int64: toMicros(t.LastUsedAt), Valid: true}
	}
	return r
}

func (r apiTokenRow) toDomain() application.APIToken {
	t := application.APIToken{ID: r.ID, TokenHash: r.TokenHash, UserID: r.UserID, Name: r.Name, CreatedAt: fromMicros(r.CreatedAt)}
	if r.LastUsedAt.Valid {
		t.LastUsedAt = fromMicros(r.LastUsedAt.Int64)
	}
	return t
}

// Create stores t and sets its ID. A hash already stored, or an unknown
// user, is an error.
func (s *APITokens) Create(ctx context.Context, t *application.APIToken) error {
	const q = `INSERT INTO api_tokens (token_hash, user_id, name, created_at, last_used_at)
		VALUES (:token_hash, :user_id, :name, :created_at, :last_used_at) RETURNING id`
	query, args, err := sqlx.Named(q, apiTokenFromDomain(*t))
	if err != nil {
		return fmt.Errorf("insert api token: %w", err)
	}
	var id int64
	if err := s.db.QueryRowxContext(ctx, query, args...).Scan(&id); err != nil {
		return fmt.Errorf("insert api token: %w", err)
	}
	t.ID = id
	return nil
}

// Get returns the token stored under tokenHash, or ErrAPITokenNotFound.
func (s *APITokens) Get(ctx context.Context, tokenHash string) (application.APIToken, error) {
	const q = `SELECT id, token_hash, user_id, name, created_at, last_used_at FROM api_tokens WHERE token_hash = ?`
	var r apiTokenRow
	err := s.db.GetContext(ctx, &r, q, tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return application.APIToken{}, application.ErrAPITokenNotFound
	}
	if err != nil {
		return application.APIToken{}, fmt.Errorf("select api token: %w", err)
	}
	return r.toDomain(), nil
}

// Touch moves the token's last_used_at forward to at.
func (s *APITokens) Touch(ctx context.Context, tokenHash string, at time.Time) error {
	const q = `UPDATE api_tokens SET last_used_at = ?1
		WHERE token_hash = ?2 AND (last_used_at IS NULL OR last_used_at < ?1)`
	if _, err := s.db.ExecContext(ctx, q, toMicros(at), tokenHash); err != nil {
		return fmt.Errorf("touch api token: %w", err)
	}
	return nil
}

// ListForUser returns the user's tokens, newest first.
func (s *APITokens) ListForUser(ctx context.Context, userID int64) ([]application.APIToken, error) {
	const q = `SELECT id, token_hash, user_id, name, created_at, last_used_at FROM api_tokens
		WHERE user_id = ? ORDER BY id DESC`
	var rows []apiTokenRow
	if err := s.db.SelectContext(ctx, &rows, q, userID); err != nil {
		return nil, fmt.Errorf("select api tokens of user %d: %w", userID, err)
	}
	out := make([]application.APIToken, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// DeleteForUser revokes every token of userID and returns how many.
func (s *APITokens) DeleteForUser(ctx context.Context, userID int64) (int, error) {
	const q = `DELETE FROM api_tokens WHERE user_id = ?`
	res, err := s.db.ExecContext(ctx, q, userID)
	if err != nil {
		return 0, fmt.Errorf("delete api tokens of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete api tokens of user %d: %w", userID, err)
	}
	return int(n), nil
}
