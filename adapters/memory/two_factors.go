package memory

import (
	"context"
	"sync"

	"crm/application"
	"crm/domain"
)

var _ application.TwoFactors = (*TwoFactors)(nil)

// TwoFactors keeps TOTP settings in memory, by user.
type TwoFactors struct {
	mu     sync.Mutex
	byUser map[int64]*domain.TwoFactor
}

// NewTwoFactors returns an empty TwoFactors.
func NewTwoFactors() *TwoFactors { return &TwoFactors{byUser: map[int64]*domain.TwoFactor{}} }

// copyTwoFactor returns a copy of tf that shares nothing with it, with
// times as storage keeps them (micro keeps a zero time zero).
func copyTwoFactor(tf *domain.TwoFactor) *domain.TwoFactor {
	return domain.RehydrateTwoFactor(tf.UserID(), tf.Secret(), micro(tf.EnabledAt()), tf.RecoveryHashes(),
		tf.LastStep(), tf.Failures(), micro(tf.BlockedUntil()), tf.PendingHash(),
		micro(tf.PendingExpiresAt()), micro(tf.CreatedAt()))
}

// Create stores tf unless its user has a setting already.
func (s *TwoFactors) Create(_ context.Context, tf *domain.TwoFactor) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byUser[tf.UserID()]; !ok {
		s.byUser[tf.UserID()] = copyTwoFactor(tf)
	}
	return nil
}

// Get returns the setting of userID, or ErrTwoFactorNotFound.
func (s *TwoFactors) Get(_ context.Context, userID int64) (*domain.TwoFactor, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tf, ok := s.byUser[userID]
	if !ok {
		return nil, domain.ErrTwoFactorNotFound
	}
	return copyTwoFactor(tf), nil
}

// GetByPendingLogIn returns the setting with the waiting login tokenHash,
// or ErrPendingLogInNotFound.
func (s *TwoFactors) GetByPendingLogIn(_ context.Context, tokenHash string) (*domain.TwoFactor, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tf := range s.byUser {
		if tokenHash != "" && tf.PendingHash() == tokenHash {
			return copyTwoFactor(tf), nil
		}
	}
	return nil, domain.ErrPendingLogInNotFound
}

// Update calls fn on a copy of the setting of userID and keeps the copy
// unless fn fails.
func (s *TwoFactors) Update(_ context.Context, userID int64, fn func(tf *domain.TwoFactor) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tf, ok := s.byUser[userID]
	if !ok {
		return domain.ErrTwoFactorNotFound
	}
	c := copyTwoFactor(tf)
	if err := fn(c); err != nil {
		return err
	}
	s.byUser[userID] = copyTwoFactor(c)
	return nil
}

// Delete removes the setting of userID and reports whether there was one.
func (s *TwoFactors) Delete(_ context.Context, userID int64) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.byUser[userID]
	delete(s.byUser, userID)
	return ok, nil
}
