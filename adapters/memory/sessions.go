package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"crm/application"
	"crm/domain"
)

var _ application.Sessions = (*Sessions)(nil)

// Sessions keeps logged-in browsers in memory.
type Sessions struct {
	mu     sync.Mutex
	byHash map[string]domain.Session
	users  *Users // for GetWithUser; nil in a Sessions of its own
}

// NewSessions returns an empty Sessions of its own: GetWithUser finds no
// user. NewStore's Sessions reads the store's Users.
func NewSessions() *Sessions { return &Sessions{byHash: map[string]domain.Session{}} }

// Create stores s; a token hash already stored is an error.
func (s *Sessions) Create(_ context.Context, sess domain.Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byHash[sess.TokenHash]; ok {
		return fmt.Errorf("create session: token hash already stored")
	}
	sess.CreatedAt, sess.ExpiresAt = micro(sess.CreatedAt), micro(sess.ExpiresAt)
	if !sess.LastSeenAt.IsZero() {
		sess.LastSeenAt = micro(sess.LastSeenAt)
	}
	s.byHash[sess.TokenHash] = sess
	return nil
}

// Get returns the session stored under tokenHash, or ErrSessionNotFound.
func (s *Sessions) Get(_ context.Context, tokenHash string) (domain.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.byHash[tokenHash]
	if !ok {
		return domain.Session{}, domain.ErrSessionNotFound
	}
	return sess, nil
}

// GetWithUser returns the session stored under tokenHash and its user
// without the password hash, or ErrSessionNotFound, also when the user is
// gone.
func (s *Sessions) GetWithUser(ctx context.Context, tokenHash string) (domain.Session, *domain.User, error) {
	sess, err := s.Get(ctx, tokenHash)
	if err != nil {
		return domain.Session{}, nil, err
	}
	if s.users == nil {
		return domain.Session{}, nil, domain.ErrSessionNotFound
	}
	u, err := s.users.Get(ctx, sess.UserID)
	if err != nil {
		return domain.Session{}, nil, domain.ErrSessionNotFound
	}
	return sess, copyUserHash(u, ""), nil
}

// Touch moves the session's LastSeenAt forward to at.
func (s *Sessions) Touch(_ context.Context, tokenHash string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.byHash[tokenHash]
	if !ok {
		return nil
	}
	if at = micro(at); sess.LastSeenAt.IsZero() || sess.LastSeenAt.Before(at) {
		sess.LastSeenAt = at
		s.byHash[tokenHash] = sess
	}
	return nil
}

// ListForUser returns the user's sessions, newest first.
func (s *Sessions) ListForUser(_ context.Context, userID int64) ([]domain.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []domain.Session
	for _, sess := range s.byHash {
		if sess.UserID == userID {
			out = append(out, sess)
		}
	}
	slices.SortFunc(out, func(a, b domain.Session) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.TokenHash, b.TokenHash)
	})
	return out, nil
}

// Delete ends one session; an unknown one is not an error.
func (s *Sessions) Delete(_ context.Context, tokenHash string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byHash, tokenHash)
	return nil
}

// DeleteForUser ends every session of userID.
func (s *Sessions) DeleteForUser(_ context.Context, userID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, sess := range s.byHash {
		if sess.UserID == userID {
			delete(s.byHash, h)
		}
	}
	return nil
}

// DeleteOthers ends every session of userID but keepHash's and returns how
// many it ended.
func (s *Sessions) DeleteOthers(_ context.Context, userID int64, keepHash string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for h, sess := range s.byHash {
		if sess.UserID == userID && h != keepHash {
			delete(s.byHash, h)
			n++
		}
	}
	return n, nil
}

// DeleteExpired deletes every session over at now and returns how many.
func (s *Sessions) DeleteExpired(_ context.Context, now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now = micro(now)
	n := 0
	for h, sess := range s.byHash {
		if sess.Expired(now) {
			delete(s.byHash, h)
			n++
		}
	}
	return n, nil
}
