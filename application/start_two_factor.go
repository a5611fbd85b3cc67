package application

import (
	"context"
	"errors"
	"fmt"

	"crm/domain"
)

// StartTwoFactor shows a user's two-factor sign-in, and starts an
// enrolment when it is off.
type StartTwoFactor struct {
	UserID int64
}

// TwoFactorStatus is what the enrolment page shows. Secret and URI are
// set only while the enrolment waits for its first code.
type TwoFactorStatus struct {
	Enabled           bool
	Required          bool // the policy makes it mandatory for this user
	RecoveryCodesLeft int
	Secret            string
	URI               string
}

type StartTwoFactorHandler struct {
	users  Users
	tfs    TwoFactors
	codes  OneTimeCodes
	policy TwoFactorPolicy
	clock  Clock
}

func NewStartTwoFactorHandler(users Users, tfs TwoFactors, codes OneTimeCodes, policy TwoFactorPolicy, clock Clock) StartTwoFactorHandler {
	return StartTwoFactorHandler{users: users, tfs: tfs, codes: codes, policy: policy, clock: clock}
}

// Handle returns the status; an enrolment already started keeps its secret
// (the QR code stays the same on reload). Errors: ErrUserNotFound.
func (h StartTwoFactorHandler) Handle(ctx context.Context, q StartTwoFactor) (TwoFactorStatus, error) {
	u, err := h.users.Get(ctx, q.UserID)
	if err != nil {
		return TwoFactorStatus{}, err
	}
	tf, err := ensureTwoFactor(ctx, h.tfs, h.codes, u.ID(), h.clock)
	if err != nil {
		return TwoFactorStatus{}, err
	}
	st := TwoFactorStatus{Enabled: tf.Enabled(), Required: h.policy.Requires(u), RecoveryCodesLeft: tf.RecoveryCodesLeft()}
	if !tf.Enabled() {
		st.Secret, st.URI = tf.Secret(), h.codes.URI(TOTPIssuer, u.Username(), tf.Secret())
	}
	return st, nil
}

// ensureTwoFactor returns the setting of userID, made with a new secret
// (off until its first code) when there is none.
func ensureTwoFactor(ctx context.Context, tfs TwoFactors, codes OneTimeCodes, userID int64, clock Clock) (*domain.TwoFactor, error) {
	tf, err := tfs.Get(ctx, userID)
	if err == nil {
		return tf, nil
	}
	if !errors.Is(err, domain.ErrTwoFactorNotFound) {
		return nil, fmt.Errorf("read two-factor setting: %w", err)
	}
	secret, err := codes.NewSecret()
	if err != nil {
		return nil, fmt.Errorf("new TOTP secret: %w", err)
	}
	if err := tfs.Create(ctx, domain.NewTwoFactor(userID, secret, clock.Now())); err != nil {
		return nil, fmt.Errorf("store two-factor setting: %w", err)
	}
	// Read it back: a concurrent request may have created it first.
	return tfs.Get(ctx, userID)
}
