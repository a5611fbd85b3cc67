package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"crm/application"
	"crm/domain"
)

var _ application.TwoFactors = (*TwoFactors)(nil)

// TwoFactors stores TOTP settings, one row per user.
type TwoFactors struct{ s *Store }

// NewTwoFactors returns TwoFactors over s.
func NewTwoFactors(s *Store) *TwoFactors { return &TwoFactors{s: s} }

const twoFactorColumns = `user_id, secret, enabled_at, recovery_hashes, last_step, failures, blocked_until,
	pending_hash, pending_expires_at, created_at`

type twoFactorRow struct {
	UserID           int64          `db:"user_id"`
	Secret           string         `db:"secret"`
	EnabledAt        timestamp      `db:"enabled_at"`
	RecoveryHashes   string         `db:"recovery_hashes"`
	LastStep         int64          `db:"last_step"`
	Failures         int            `db:"failures"`
	BlockedUntil     timestamp      `db:"blocked_until"`
	PendingHash      sql.NullString `db:"pending_hash"`
	PendingExpiresAt timestamp      `db:"pending_expires_at"`
	CreatedAt        timestamp      `db:"created_at"`
}

func (r twoFactorRow) toDomain() *domain.TwoFactor {
	return domain.RehydrateTwoFactor(r.UserID, r.Secret, r.EnabledAt.Time, strings.Fields(r.RecoveryHashes),
		r.LastStep, r.Failures, r.BlockedUntil.Time, r.PendingHash.String, r.PendingExpiresAt.Time, r.CreatedAt.Time)
}

// twoFactorArgs is the stored values of tf, in twoFactorColumns' order.
func twoFactorArgs(tf *domain.TwoFactor) []any {
	return []any{tf.UserID(), tf.Secret(), tf.EnabledAt(), strings.Join(tf.RecoveryHashes(), " "), tf.LastStep(),
		tf.Failures(), tf.BlockedUntil(), sql.NullString{String: tf.PendingHash(), Valid: tf.PendingHash() != ""},
		tf.PendingExpiresAt(), tf.CreatedAt()}
}

// Create stores tf unless its user already has a setting.
func (s *TwoFactors) Create(ctx context.Context, tf *domain.TwoFactor) error {
	const q = `INSERT INTO two_factor (` + twoFactorColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO NOTHING`
	if _, err := s.s.exec(ctx, nil, q, twoFactorArgs(tf)...); err != nil {
		return fmt.Errorf("insert two-factor setting of user %d: %w", tf.UserID(), err)
	}
	return nil
}

// Get returns the setting of userID, or ErrTwoFactorNotFound.
func (s *TwoFactors) Get(ctx context.Context, userID int64) (*domain.TwoFactor, error) {
	const q = `SELECT ` + twoFactorColumns + ` FROM two_factor WHERE user_id = ?`
	var r twoFactorRow
	err := s.s.get(ctx, nil, &r, q, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrTwoFactorNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("select two-factor setting of user %d: %w", userID, err)
	}
	return r.toDomain(), nil
}

// GetByPendingLogIn returns the setting whose waiting login hashes to
// tokenHash, or ErrPendingLogInNotFound.
func (s *TwoFactors) GetByPendingLogIn(ctx context.Context, tokenHash string) (*domain.TwoFactor, error) {
	const q = `SELECT ` + twoFactorColumns + ` FROM two_factor WHERE pending_hash = ?`
	var r twoFactorRow
	err := s.s.get(ctx, nil, &r, q, tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrPendingLogInNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("select pending login: %w", err)
	}
	return r.toDomain(), nil
}

// Update loads and locks the setting of userID, calls fn, and saves it in
// one transaction; ErrTwoFactorNotFound when there is none.
func (s *TwoFactors) Update(ctx context.Context, userID int64, fn func(tf *domain.TwoFactor) error) error {
	qSelect := `SELECT ` + twoFactorColumns + ` FROM two_factor WHERE user_id = ?` + s.s.d.lockRow
	const qUpdate = `UPDATE two_factor SET secret = ?, enabled_at = ?, recovery_hashes = ?, last_step = ?,
		failures = ?, blocked_until = ?, pending_hash = ?, pending_expires_at = ? WHERE user_id = ?`
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		var r twoFactorRow
		err := s.s.get(ctx, tx, &r, qSelect, userID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrTwoFactorNotFound
		}
		if err != nil {
			return fmt.Errorf("select two-factor setting of user %d: %w", userID, err)
		}
		tf := r.toDomain()
		if err := fn(tf); err != nil {
			return err
		}
		a := twoFactorArgs(tf)
		if _, err := s.s.exec(ctx, tx, qUpdate, append(a[1:9:9], userID)...); err != nil {
			return fmt.Errorf("update two-factor setting of user %d: %w", userID, err)
		}
		return nil
	})
}

// Delete removes the setting of userID and reports whether there was one.
func (s *TwoFactors) Delete(ctx context.Context, userID int64) (bool, error) {
	const q = `DELETE FROM two_factor WHERE user_id = ?`
	res, err := s.s.exec(ctx, nil, q, userID)
	if err != nil {
		return false, fmt.Errorf("delete two-factor setting of user %d: %w", userID, err)
	}
	n, err := affected(res)
	if err != nil {
		return false, fmt.Errorf("delete two-factor setting of user %d: %w", userID, err)
	}
	return n > 0, nil
}
