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

var _ application.Sessions = (*Sessions)(nil)

// Sessions stores logged-in browsers by the hash of their cookie.
type Sessions struct{ s *Store }

// NewSessions returns Sessions over s.
func NewSessions(s *Store) *Sessions { return &Sessions{s: s} }

const sessionColumns = `token_hash, user_id, created_at, expires_at, user_agent, address, last_seen_at`

type sessionRow struct {
	TokenHash  string    `db:"token_hash"`
	UserID     int64     `db:"user_id"`
	CreatedAt  timestamp `db:"created_at"`
	ExpiresAt  timestamp `db:"expires_at"`
	UserAgent  string    `db:"user_agent"`
	Address    string    `db:"address"`
	LastSeenAt timestamp `db:"last_seen_at"`
}

func (r sessionRow) toDomain() domain.Session {
	return domain.Session{TokenHash: r.TokenHash, UserID: r.UserID, CreatedAt: r.CreatedAt.Time, ExpiresAt: r.ExpiresAt.Time,
		UserAgent: r.UserAgent, Address: r.Address, LastSeenAt: r.LastSeenAt.Time}
}

// Create stores sess. A token hash already stored, or an unknown user, is
// an error.
func (s *Sessions) Create(ctx context.Context, sess domain.Session) error {
	const q = `INSERT INTO sessions (` + sessionColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?)`
	if _, err := s.s.exec(ctx, nil, q, sess.TokenHash, sess.UserID, sess.CreatedAt, sess.ExpiresAt,
		sess.UserAgent, sess.Address, sess.LastSeenAt); err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// Get returns the session stored under tokenHash, or ErrSessionNotFound.
func (s *Sessions) Get(ctx context.Context, tokenHash string) (domain.Session, error) {
	const q = `SELECT ` + sessionColumns + ` FROM sessions WHERE token_hash = ?`
	var r sessionRow
	err := s.s.get(ctx, nil, &r, q, tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Session{}, domain.ErrSessionNotFound
	}
	if err != nil {
		return domain.Session{}, fmt.Errorf("select session: %w", err)
	}
	return r.toDomain(), nil
}

// GetWithUser returns the session stored under tokenHash and its user, read
// in one query, or ErrSessionNotFound. Every request of a logged-in visitor
// asks, so it reads no column it can do without (the session's hash is
// tokenHash, its user id the user's id, a domain.User has no username_key,
// and the port promises no password hash) and scans the row itself.
func (s *Sessions) GetWithUser(ctx context.Context, tokenHash string) (domain.Session, *domain.User, error) {
	const q = `SELECT s.created_at, s.expires_at, s.last_seen_at, ` + joinedUserColumns + `
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`
	var (
		createdAt, expiresAt, lastSeenAt timestamp
		u                                userRow
	)
	err := s.s.getRow(ctx, nil, q, []any{tokenHash},
		append([]any{&createdAt, &expiresAt, &lastSeenAt}, u.joinedUserTargets()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Session{}, nil, domain.ErrSessionNotFound
	}
	if err != nil {
		return domain.Session{}, nil, fmt.Errorf("select session: %w", err)
	}
	sess := domain.Session{TokenHash: tokenHash, UserID: u.ID, CreatedAt: createdAt.Time, ExpiresAt: expiresAt.Time,
		LastSeenAt: lastSeenAt.Time}
	return sess, u.toDomain(), nil
}

// Touch moves the session's last_seen_at forward to at.
func (s *Sessions) Touch(ctx context.Context, tokenHash string, at time.Time) error {
	const q = `UPDATE sessions SET last_seen_at = ?
		WHERE token_hash = ? AND (last_seen_at IS NULL OR last_seen_at < ?)`
	if _, err := s.s.exec(ctx, nil, q, at, tokenHash, at); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// ListForUser returns the user's sessions, newest first.
func (s *Sessions) ListForUser(ctx context.Context, userID int64) ([]domain.Session, error) {
	const q = `SELECT ` + sessionColumns + ` FROM sessions WHERE user_id = ? ORDER BY created_at DESC, token_hash`
	var rows []sessionRow
	if err := s.s.sel(ctx, nil, &rows, q, userID); err != nil {
		return nil, fmt.Errorf("select sessions of user %d: %w", userID, err)
	}
	out := make([]domain.Session, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// Delete ends one session; an unknown one is not an error.
func (s *Sessions) Delete(ctx context.Context, tokenHash string) error {
	const q = `DELETE FROM sessions WHERE token_hash = ?`
	if _, err := s.s.exec(ctx, nil, q, tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteForUser ends every session of userID.
func (s *Sessions) DeleteForUser(ctx context.Context, userID int64) error {
	const q = `DELETE FROM sessions WHERE user_id = ?`
	if _, err := s.s.exec(ctx, nil, q, userID); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteOthers ends every session of userID but keepHash's and returns how
// many it ended.
func (s *Sessions) DeleteOthers(ctx context.Context, userID int64, keepHash string) (int, error) {
	const q = `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`
	res, err := s.s.exec(ctx, nil, q, userID, keepHash)
	if err != nil {
		return 0, fmt.Errorf("delete other sessions of user %d: %w", userID, err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("delete other sessions of user %d: %w", userID, err)
	}
	return n, nil
}

// DeleteExpired deletes every session over at now and returns how many.
func (s *Sessions) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	const q = `DELETE FROM sessions WHERE expires_at <= ?`
	res, err := s.s.exec(ctx, nil, q, now)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return n, nil
}
