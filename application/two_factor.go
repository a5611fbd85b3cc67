package application

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"time"

	"crm/domain"
)

// TOTPIssuer names this site in authenticator apps.
const TOTPIssuer = "crm"

// TwoFactors stores each user's TOTP setting (at most one per user).
type TwoFactors interface {
	// Create stores tf unless its user already has one; then nothing
	// changes (read it again with Get).
	Create(ctx context.Context, tf *domain.TwoFactor) error
	// Get returns the setting of userID, or ErrTwoFactorNotFound.
	Get(ctx context.Context, userID int64) (*domain.TwoFactor, error)
	// GetByPendingLogIn returns the setting whose waiting login's token
	// hashes to tokenHash, or ErrPendingLogInNotFound.
	GetByPendingLogIn(ctx context.Context, tokenHash string) (*domain.TwoFactor, error)
	// Update loads the setting of userID, locked against concurrent
	// updates, calls fn and saves it. ErrTwoFactorNotFound without calling
	// fn; an error from fn saves nothing and is returned.
	Update(ctx context.Context, userID int64, fn func(tf *domain.TwoFactor) error) error
	// Delete removes the setting of userID; none is not an error. It
	// reports whether there was one.
	Delete(ctx context.Context, userID int64) (bool, error)
}

// OneTimeCodes makes TOTP secrets and checks codes (RFC 6238: 6 digits,
// 30-second steps, SHA-1, as authenticator apps expect).
type OneTimeCodes interface {
	// NewSecret returns a new random secret, base32 without padding.
	NewSecret() (string, error)
	// URI is the otpauth:// URI an authenticator app reads from a QR code.
	URI(issuer, account, secret string) string
	// Match returns the time step of code when it is right for secret at
	// now or one step either side, and false otherwise.
	Match(secret, code string, now time.Time) (step int64, ok bool)
}

// TwoFactorPolicy says who must use two-factor sign-in.
type TwoFactorPolicy struct {
	// RequireForStaff makes it mandatory for staff and admins at their
	// next login (CRM_REQUIRE_2FA=staff).
	RequireForStaff bool
}

// Requires reports whether u must sign in with a second factor.
func (p TwoFactorPolicy) Requires(u *domain.User) bool { return p.RequireForStaff && u.IsStaff() }

// newRecoveryCodes returns RecoveryCodeCount new codes (50 random bits
// each, written xxxxx-xxxxx) and their hashes.
func newRecoveryCodes() (codes, hashes []string) {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789" // 32, no 0/o, 1/l
	for range domain.RecoveryCodeCount {
		b := make([]byte, 10)
		_, _ = rand.Read(b)
		for i := range b {
			b[i] = alphabet[b[i]%32]
		}
		code := string(b[:5]) + "-" + string(b[5:])
		codes = append(codes, code)
		hashes = append(hashes, hashRecoveryCode(code))
	}
	return codes, hashes
}

// hashRecoveryCode is the stored form of a recovery code, as typed in any
// case, with or without its dash and spaces.
func hashRecoveryCode(code string) string {
	code = strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
	return HashToken(code)
}

// checkSecondFactor checks code against tf at now: a TOTP code (each good
// once) or, once two-factor sign-in is on, an unused recovery code, which
// is then spent. A wrong code is counted; it returns ErrSecondFactorInvalid,
// or a SecondFactorBlockedError while wrong codes block the account.
func checkSecondFactor(tf *domain.TwoFactor, codes OneTimeCodes, code string, now time.Time) error {
	if err := tf.CheckNotBlocked(now); err != nil {
		return err
	}
	digits := strings.ReplaceAll(code, " ", "")
	if step, ok := codes.Match(tf.Secret(), digits, now); ok {
		if err := tf.AcceptCode(step); err == nil {
			return nil
		}
	} else if tf.Enabled() && len(digits) > 6 {
		if err := tf.UseRecoveryCode(hashRecoveryCode(code)); err == nil {
			return nil
		}
	}
	tf.RecordFailure(now)
	return domain.ErrSecondFactorInvalid
}

// updateCheckingCode runs fn in tfs.Update of userID's setting. A wrong
// code that fn reports (ErrSecondFactorInvalid from checkSecondFactor)
// still saves the setting, so the failure counts, and is returned after;
// any other error from fn, a block among them, saves nothing.
func updateCheckingCode(ctx context.Context, tfs TwoFactors, userID int64, fn func(tf *domain.TwoFactor) error) error {
	var wrong error
	err := tfs.Update(ctx, userID, func(tf *domain.TwoFactor) error {
		err := fn(tf)
		if errors.Is(err, domain.ErrSecondFactorInvalid) {
			wrong = err
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return wrong
}
