package memory

import (
	"context"
	"slices"
	"strings"
	"sync"

	"crm/application"
	"crm/domain"
)

var _ application.SavedReplies = (*SavedReplies)(nil)

// SavedReplies keeps saved replies in memory. The author's name is kept
// as Add was given it: usernames do not change.
type SavedReplies struct {
	mu     sync.Mutex
	lastID int64
	byID   map[int64]domain.SavedReply
}

// NewSavedReplies returns an empty SavedReplies.
func NewSavedReplies() *SavedReplies { return &SavedReplies{byID: map[int64]domain.SavedReply{}} }

// taken reports whether another reply than id has r's name in r's scope.
func (s *SavedReplies) taken(r domain.SavedReply, id int64) bool {
	for _, o := range s.byID {
		if o.ID != id && o.ScopeID() == r.ScopeID() && o.NameKey() == r.NameKey() {
			return true
		}
	}
	return false
}

// Add stores r and sets its ID, or returns ErrSavedReplyNameTaken.
func (s *SavedReplies) Add(_ context.Context, r *domain.SavedReply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.taken(*r, 0) {
		return domain.ErrSavedReplyNameTaken
	}
	s.lastID++
	r.ID = s.lastID
	r.CreatedAt, r.UpdatedAt = micro(r.CreatedAt), micro(r.UpdatedAt)
	s.byID[r.ID] = *r
	return nil
}

// Get returns reply id, or ErrSavedReplyNotFound.
func (s *SavedReplies) Get(_ context.Context, id int64) (domain.SavedReply, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.byID[id]
	if !ok {
		return domain.SavedReply{}, domain.ErrSavedReplyNotFound
	}
	return r, nil
}

// Update calls fn on a copy of reply id and keeps it when fn succeeds and
// the name is free in its scope.
func (s *SavedReplies) Update(_ context.Context, id int64, fn func(r *domain.SavedReply) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.byID[id]
	if !ok {
		return domain.ErrSavedReplyNotFound
	}
	if err := fn(&r); err != nil {
		return err
	}
	if s.taken(r, id) {
		return domain.ErrSavedReplyNameTaken
	}
	r.ID, r.UpdatedAt = id, micro(r.UpdatedAt)
	s.byID[id] = r
	return nil
}

// Delete removes reply id, or returns ErrSavedReplyNotFound.
func (s *SavedReplies) Delete(_ context.Context, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[id]; !ok {
		return domain.ErrSavedReplyNotFound
	}
	delete(s.byID, id)
	return nil
}

// ListFor returns the shared replies and userID's own, by name.
func (s *SavedReplies) ListFor(_ context.Context, userID int64) ([]domain.SavedReply, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []domain.SavedReply
	for _, r := range s.byID {
		if r.Shared || r.AuthorID == userID {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b domain.SavedReply) int {
		if c := strings.Compare(a.NameKey(), b.NameKey()); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out[:min(len(out), application.MaxSavedReplies)], nil
}
