package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"crm/application"
	"crm/domain"
)

var _ application.LinkTokens = (*LinkTokens)(nil)

// LinkTokens keeps Telegram link tokens in memory, by hash.
type LinkTokens struct {
	mu     sync.Mutex
	byHash map[string]domain.LinkToken
}

// NewLinkTokens returns an empty LinkTokens.
func NewLinkTokens() *LinkTokens { return &LinkTokens{byHash: map[string]domain.LinkToken{}} }

// Issue stores t and expires the user's older unused tokens at t.CreatedAt.
// A hash already stored is an error.
func (s *LinkTokens) Issue(_ context.Context, t domain.LinkToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byHash[t.TokenHash]; ok {
		return fmt.Errorf("issue link token: hash already stored")
	}
	now := micro(t.CreatedAt)
	for h, old := range s.byHash {
		if old.UserID == t.UserID && !old.Used() && old.ExpiresAt.After(now) {
			old.ExpiresAt = now
			s.byHash[h] = old
		}
	}
	t.CreatedAt, t.ExpiresAt = now, micro(t.ExpiresAt)
	if !t.UsedAt.IsZero() {
		t.UsedAt = micro(t.UsedAt)
	}
	s.byHash[t.TokenHash] = t
	return nil
}

// Consume marks the token used at now and returns it, or returns
// ErrLinkTokenInvalid, ErrLinkTokenUsed or ErrLinkTokenExpired.
func (s *LinkTokens) Consume(_ context.Context, tokenHash string, now time.Time) (domain.LinkToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.byHash[tokenHash]
	if !ok {
		return domain.LinkToken{}, domain.ErrLinkTokenInvalid
	}
	now = micro(now)
	if err := t.Check(now); err != nil {
		return domain.LinkToken{}, err
	}
	t.UsedAt = now
	s.byHash[tokenHash] = t
	return t, nil
}

// DeleteStale deletes every token that expired before before and returns
// how many.
func (s *LinkTokens) DeleteStale(_ context.Context, before time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	before = micro(before)
	n := 0
	for h, t := range s.byHash {
		if t.ExpiresAt.Before(before) {
			delete(s.byHash, h)
			n++
		}
	}
	return n, nil
}
