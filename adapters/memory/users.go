package memory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"crm/application"
	"crm/domain"
)

var _ application.Users = (*Users)(nil)

// errChatLinked is what the SQL adapters report as a unique violation on
// the Telegram chat: one chat belongs to one user.
var errChatLinked = errors.New("telegram chat is linked to another user")

// Users keeps accounts in memory.
type Users struct {
	mu     sync.Mutex
	byID   map[int64]*domain.User
	nextID int64
	events *EventStore
}

// NewUsers returns an empty Users that records events into events.
func NewUsers(events *EventStore) *Users {
	return &Users{byID: map[int64]*domain.User{}, events: events}
}

// copyUser rebuilds u without its events, with a microsecond created time.
func copyUser(u *domain.User) *domain.User { return copyUserHash(u, u.PasswordHash()) }

// copyUserHash is copyUser with passwordHash as the copy's hash.
func copyUserHash(u *domain.User, passwordHash string) *domain.User {
	chat, _ := u.TelegramChatID()
	c := domain.RehydrateUser(u.ID(), u.Username(), passwordHash, u.Role(), u.Active(),
		chat, u.Language(), micro(u.CreatedAt()))
	c.SetStaffAlerts(u.AlertsNewTickets(), u.AlertsOwnerReplies())
	return c
}

// Add stores u and its events and sets its id, or returns ErrUsernameTaken.
func (s *Users) Add(_ context.Context, u *domain.User) error {
	if u.ID() != 0 {
		return fmt.Errorf("add user %d: already stored", u.ID())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkUnique(u); err != nil {
		return err
	}
	events, err := encodeEvents(u.Events())
	if err != nil {
		return fmt.Errorf("add user: %w", err)
	}
	s.nextID++
	u.SetID(s.nextID)
	s.byID[u.ID()] = copyUser(u)
	s.events.append(events)
	return nil
}

// checkUnique enforces what the SQL schema's unique constraints enforce.
func (s *Users) checkUnique(u *domain.User) error {
	key := domain.UsernameKey(u.Username())
	chat, linked := u.TelegramChatID()
	for id, other := range s.byID {
		if id == u.ID() {
			continue
		}
		if domain.UsernameKey(other.Username()) == key {
			return domain.ErrUsernameTaken
		}
		if c, ok := other.TelegramChatID(); linked && ok && c == chat {
			return errChatLinked
		}
	}
	return nil
}

// Get returns the user with id, or ErrUserNotFound.
func (s *Users) Get(_ context.Context, id int64) (*domain.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.byID[id]
	if !ok {
		return nil, domain.ErrUserNotFound
	}
	return copyUser(u), nil
}

// GetByUsername returns the user named username in any case, or
// ErrUserNotFound.
func (s *Users) GetByUsername(_ context.Context, username string) (*domain.User, error) {
	key := domain.UsernameKey(username)
	return s.find(func(u *domain.User) bool { return domain.UsernameKey(u.Username()) == key })
}

// GetByTelegramChat returns the user linked to chatID, or ErrUserNotFound.
func (s *Users) GetByTelegramChat(_ context.Context, chatID int64) (*domain.User, error) {
	if chatID == 0 {
		return nil, domain.ErrUserNotFound
	}
	return s.find(func(u *domain.User) bool { c, ok := u.TelegramChatID(); return ok && c == chatID })
}

func (s *Users) find(match func(*domain.User) bool) (*domain.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.byID {
		if match(u) {
			return copyUser(u), nil
		}
	}
	return nil, domain.ErrUserNotFound
}

// Update calls fn on a copy of the user with id and stores the result and
// its events. An error from fn changes nothing and is returned;
// ErrUserNotFound when there is no such user.
func (s *Users) Update(_ context.Context, id int64, fn func(u *domain.User) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.update(id, fn)
}

// UpdateCountingAdmins is Update with the number of active admins passed to
// fn, counted under the same lock as the change. Errors as Update.
func (s *Users) UpdateCountingAdmins(_ context.Context, id int64, fn func(u *domain.User, activeAdmins int) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, u := range s.byID {
		if u.Active() && u.IsAdmin() {
			n++
		}
	}
	return s.update(id, func(u *domain.User) error { return fn(u, n) })
}

// update is Update for a caller holding s.mu.
func (s *Users) update(id int64, fn func(u *domain.User) error) error {
	stored, ok := s.byID[id]
	if !ok {
		return domain.ErrUserNotFound
	}
	u := copyUser(stored)
	if err := fn(u); err != nil {
		return err
	}
	if err := s.checkUnique(u); err != nil {
		return fmt.Errorf("update user %d: %w", id, err)
	}
	events, err := encodeEvents(u.Events())
	if err != nil {
		return fmt.Errorf("update user %d: %w", id, err)
	}
	s.byID[id] = copyUser(u)
	s.events.append(events)
	return nil
}

// List returns one page of users matching f, newest first.
func (s *Users) List(_ context.Context, f application.UserFilter) (application.UserPage, error) {
	p := f.Page.Normalized()
	query := strings.ToLower(strings.TrimSpace(f.Query))
	s.mu.Lock()
	defer s.mu.Unlock()
	var matching []*domain.User
	for _, u := range s.byID {
		switch {
		case query != "" && !strings.Contains(domain.UsernameKey(u.Username()), query):
		case len(f.Roles) > 0 && !slices.Contains(f.Roles, u.Role()):
		case f.ActiveOnly && !u.Active():
		default:
			matching = append(matching, u)
		}
	}
	slices.SortFunc(matching, func(a, b *domain.User) int { return cmpDesc(a.ID(), b.ID()) })
	page := application.UserPage{Total: len(matching), Users: []*domain.User{}}
	for _, u := range matching {
		if p.Before != 0 && u.ID() >= p.Before {
			continue
		}
		if len(page.Users) == p.Limit {
			page.Next = page.Users[len(page.Users)-1].ID()
			break
		}
		page.Users = append(page.Users, copyUser(u))
	}
	return page, nil
}

// cmpDesc orders ids newest first.
func cmpDesc(a, b int64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}
