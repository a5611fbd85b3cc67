package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"crm/application"
	"crm/domain"
)

var _ application.PasswordResets = (*PasswordResets)(nil)

// PasswordResets keeps password-reset links in memory, by hash.
type PasswordResets struct {
	mu     sync.Mutex
	byHash map[string]domain.PasswordReset
}

// NewPasswordResets returns an empty PasswordResets.
func NewPasswordResets() *PasswordResets {
	return &PasswordResets{byHash: map[string]domain.PasswordReset{}}
}

// Issue stores r and expires the user's older unused resets at r.CreatedAt.
// A hash already stored is an error.
func (s *PasswordResets) Issue(_ context.Context, r domain.PasswordReset) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byHash[r.TokenHash]; ok {
		return fmt.Errorf("issue password reset: hash already stored")
	}
	now := micro(r.CreatedAt)
	for h, old := range s.byHash {
		switch {
		case old.UserID != r.UserID:
		case old.ExpiresAt.Before(now.Add(-application.PasswordResetKeep)):
			delete(s.byHash, h)
		case old.UsedAt.IsZero() && old.ExpiresAt.After(now):
			old.ExpiresAt = now
			s.byHash[h] = old
		}
	}
	r.CreatedAt, r.ExpiresAt = now, micro(r.ExpiresAt)
	if !r.UsedAt.IsZero() {
		r.UsedAt = micro(r.UsedAt)
	}
	s.byHash[r.TokenHash] = r
	return nil
}

// Get returns the reset stored under tokenHash, or ErrResetLinkInvalid.
func (s *PasswordResets) Get(_ context.Context, tokenHash string) (domain.PasswordReset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.byHash[tokenHash]
	if !ok {
		return domain.PasswordReset{}, domain.ErrResetLinkInvalid
	}
	return r, nil
}

// Consume marks the reset used at now and returns it, or returns
// ErrResetLinkInvalid.
func (s *PasswordResets) Consume(_ context.Context, tokenHash string, now time.Time) (domain.PasswordReset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.byHash[tokenHash]
	now = micro(now)
	if !ok || !r.Usable(now) {
		return domain.PasswordReset{}, domain.ErrResetLinkInvalid
	}
	r.UsedAt = now
	s.byHash[tokenHash] = r
	return r, nil
}
