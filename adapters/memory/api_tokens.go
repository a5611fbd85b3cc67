package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"crm/application"
	"crm/domain"
)

var _ application.APITokens = (*APITokens)(nil)

// APITokens keeps API tokens in memory, by hash.
type APITokens struct {
	mu     sync.Mutex
	lastID int64
	byHash map[string]domain.APIToken
}

// NewAPITokens returns an empty APITokens.
func NewAPITokens() *APITokens { return &APITokens{byHash: map[string]domain.APIToken{}} }

// Create stores t and sets its ID; a hash already stored is an error.
func (s *APITokens) Create(_ context.Context, t *domain.APIToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byHash[t.TokenHash]; ok {
		return fmt.Errorf("insert api token: hash already stored")
	}
	s.lastID++
	stored := *t
	stored.ID = s.lastID
	stored.CreatedAt = micro(t.CreatedAt)
	if !t.LastUsedAt.IsZero() {
		stored.LastUsedAt = micro(t.LastUsedAt)
	}
	s.byHash[t.TokenHash] = stored
	t.ID = stored.ID
	return nil
}

// Get returns the token stored under tokenHash, or ErrAPITokenNotFound.
func (s *APITokens) Get(_ context.Context, tokenHash string) (domain.APIToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.byHash[tokenHash]
	if !ok {
		return domain.APIToken{}, domain.ErrAPITokenNotFound
	}
	return t, nil
}

// Touch moves the token's LastUsedAt forward to at.
func (s *APITokens) Touch(_ context.Context, tokenHash string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.byHash[tokenHash]
	if !ok {
		return nil
	}
	if at = micro(at); t.LastUsedAt.IsZero() || t.LastUsedAt.Before(at) {
		t.LastUsedAt = at
		s.byHash[tokenHash] = t
	}
	return nil
}

// ListForUser returns the user's tokens, newest first.
func (s *APITokens) ListForUser(_ context.Context, userID int64) ([]domain.APIToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []domain.APIToken
	for _, t := range s.byHash {
		if t.UserID == userID {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b domain.APIToken) int { return cmp.Compare(b.ID, a.ID) })
	return out, nil
}

// Delete revokes the token id of userID, or returns ErrAPITokenNotFound.
func (s *APITokens) Delete(_ context.Context, userID, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, t := range s.byHash {
		if t.ID == id && t.UserID == userID {
			delete(s.byHash, h)
			return nil
		}
	}
	return domain.ErrAPITokenNotFound
}

// DeleteForUser revokes every token of userID and returns how many.
func (s *APITokens) DeleteForUser(_ context.Context, userID int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for h, t := range s.byHash {
		if t.UserID == userID {
			delete(s.byHash, h)
			n++
		}
	}
	return n, nil
}
