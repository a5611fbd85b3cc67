package domain

import (
	"errors"
	"time"
)

// Two-factor sign-in (TOTP): the rules of codes, recovery codes, failed
// attempts and the login that waits for a code.
const (
	// RecoveryCodeCount is how many one-time recovery codes an enrolment
	// gives.
	RecoveryCodeCount = 10
	// SecondFactorMaxFailures wrong codes in a row block code checks of
	// the account for SecondFactorBlockFor.
	SecondFactorMaxFailures = 5
	SecondFactorBlockFor    = 5 * time.Minute
	// PendingLoginLifetime is how long a right password waits for its code.
	PendingLoginLifetime = 10 * time.Minute
)

// Two-factor errors.
var (
	ErrTwoFactorNotFound     = errors.New("two-factor sign-in is not set up")
	ErrTwoFactorAlreadyOn    = errors.New("two-factor sign-in is already on")
	ErrTwoFactorRequired     = errors.New("two-factor sign-in is required for this account")
	ErrSecondFactorInvalid   = errors.New("the code is wrong or was already used")
	ErrPendingLogInNotFound  = errors.New("no login is waiting for a code")
	ErrSecondFactorThrottled = errors.New("too many wrong codes")
)

// SecondFactorBlockedError is ErrSecondFactorThrottled with the time left.
type SecondFactorBlockedError struct{ RetryAfter time.Duration }

func (e SecondFactorBlockedError) Error() string { return ErrSecondFactorThrottled.Error() }

// Unwrap makes errors.Is(err, ErrSecondFactorThrottled) true.
func (e SecondFactorBlockedError) Unwrap() error { return ErrSecondFactorThrottled }

// TwoFactor is a user's TOTP setting: the shared secret (kept as it is: it
// must verify codes; never logged), whether enrolment is finished, the
// hashes of the unused recovery codes, the last time step accepted (a code
// is never accepted twice), the count of wrong codes, and the login that
// waits for a code, if any (only the hash of its token).
type TwoFactor struct {
	userID           int64
	secret           string
	enabledAt        time.Time // zero: enrolment not finished
	recoveryHashes   []string
	lastStep         int64
	failures         int
	blockedUntil     time.Time
	pendingHash      string
	pendingExpiresAt time.Time
	createdAt        time.Time
}

// NewTwoFactor starts an enrolment of userID with secret; it is off until
// Enable.
func NewTwoFactor(userID int64, secret string, now time.Time) *TwoFactor {
	return &TwoFactor{userID: userID, secret: secret, createdAt: now.UTC()}
}

// RehydrateTwoFactor rebuilds a stored TwoFactor. Only storage adapters call it.
func RehydrateTwoFactor(userID int64, secret string, enabledAt time.Time, recoveryHashes []string,
	lastStep int64, failures int, blockedUntil time.Time, pendingHash string, pendingExpiresAt, createdAt time.Time) *TwoFactor {
	return &TwoFactor{userID: userID, secret: secret, enabledAt: enabledAt, recoveryHashes: recoveryHashes,
		lastStep: lastStep, failures: failures, blockedUntil: blockedUntil, pendingHash: pendingHash,
		pendingExpiresAt: pendingExpiresAt, createdAt: createdAt}
}

func (t *TwoFactor) UserID() int64               { return t.userID }
func (t *TwoFactor) Secret() string              { return t.secret }
func (t *TwoFactor) EnabledAt() time.Time        { return t.enabledAt }
func (t *TwoFactor) Enabled() bool               { return !t.enabledAt.IsZero() }
func (t *TwoFactor) RecoveryHashes() []string    { return append([]string(nil), t.recoveryHashes...) }
func (t *TwoFactor) LastStep() int64             { return t.lastStep }
func (t *TwoFactor) Failures() int               { return t.failures }
func (t *TwoFactor) BlockedUntil() time.Time     { return t.blockedUntil }
func (t *TwoFactor) PendingHash() string         { return t.pendingHash }
func (t *TwoFactor) PendingExpiresAt() time.Time { return t.pendingExpiresAt }
func (t *TwoFactor) CreatedAt() time.Time        { return t.createdAt }

// RecoveryCodesLeft is how many recovery codes are still unused.
func (t *TwoFactor) RecoveryCodesLeft() int { return len(t.recoveryHashes) }

// CheckNotBlocked returns a SecondFactorBlockedError while wrong codes
// block checks at now.
func (t *TwoFactor) CheckNotBlocked(now time.Time) error {
	if now.Before(t.blockedUntil) {
		return SecondFactorBlockedError{RetryAfter: t.blockedUntil.Sub(now)}
	}
	return nil
}

// Enable finishes the enrolment with the time step of a right code and the
// hashes of new recovery codes. ErrTwoFactorAlreadyOn when it is on.
func (t *TwoFactor) Enable(step int64, recoveryHashes []string, now time.Time) error {
	if t.Enabled() {
		return ErrTwoFactorAlreadyOn
	}
	t.enabledAt = now.UTC()
	t.lastStep = step
	t.recoveryHashes = append([]string(nil), recoveryHashes...)
	t.failures, t.blockedUntil = 0, time.Time{}
	return nil
}

// AcceptCode takes a right code of time step: ErrSecondFactorInvalid when
// that step or a later one was already used (a code is good once).
func (t *TwoFactor) AcceptCode(step int64) error {
	if step <= t.lastStep {
		return ErrSecondFactorInvalid
	}
	t.lastStep = step
	t.failures = 0
	return nil
}

// UseRecoveryCode spends the recovery code whose hash is hash:
// ErrSecondFactorInvalid when there is no such unused code.
func (t *TwoFactor) UseRecoveryCode(hash string) error {
	for i, h := range t.recoveryHashes {
		if h == hash {
			t.recoveryHashes = append(t.recoveryHashes[:i:i], t.recoveryHashes[i+1:]...)
			t.failures = 0
			return nil
		}
	}
	return ErrSecondFactorInvalid
}

// RecordFailure counts a wrong code; the SecondFactorMaxFailures-th in a
// row blocks checks for SecondFactorBlockFor.
func (t *TwoFactor) RecordFailure(now time.Time) {
	t.failures++
	if t.failures >= SecondFactorMaxFailures {
		t.failures = 0
		t.blockedUntil = now.UTC().Add(SecondFactorBlockFor)
	}
}

// StartPendingLogIn records a right password waiting for its code, under
// the hash of the pending token; a newer one replaces an older one.
func (t *TwoFactor) StartPendingLogIn(tokenHash string, now time.Time) {
	t.pendingHash = tokenHash
	t.pendingExpiresAt = now.UTC().Add(PendingLoginLifetime)
}

// PendingLogInValid reports whether the login waiting under tokenHash is
// still waiting at now.
func (t *TwoFactor) PendingLogInValid(tokenHash string, now time.Time) bool {
	return t.pendingHash != "" && t.pendingHash == tokenHash && now.Before(t.pendingExpiresAt)
}

// EndPendingLogIn forgets the waiting login.
func (t *TwoFactor) EndPendingLogIn() {
	t.pendingHash, t.pendingExpiresAt = "", time.Time{}
}
