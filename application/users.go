package application

import (
	"context"

	"crm/domain"
)

// Users stores accounts.
type Users interface {
	// Add stores a new user with its events and sets its id, or returns
	// ErrUsernameTaken when the username is used by someone else
	// (compared case-insensitively).
	Add(ctx context.Context, u *domain.User) error
	// Get returns the user with id, or ErrUserNotFound.
	Get(ctx context.Context, id int64) (*domain.User, error)
	// GetByUsername returns the user named username (any case), or
	// ErrUserNotFound.
	GetByUsername(ctx context.Context, username string) (*domain.User, error)
	// GetByTelegramChat returns the user linked to chatID, or ErrUserNotFound.
	GetByTelegramChat(ctx context.Context, chatID int64) (*domain.User, error)
	// Update loads the user with id, locked against concurrent updates,
	// calls fn, then saves the user and the events it recorded in one
	// transaction. An error from fn rolls everything back and is returned.
	Update(ctx context.Context, id int64, fn func(u *domain.User) error) error
	// UpdateCountingAdmins is Update for a change that could take away an
	// active admin: fn also gets activeAdmins, how many active admins there
	// are (the user included, as loaded), counted in the same transaction.
	// It takes turns with every other UpdateCountingAdmins and with any
	// Update of an active admin, so no admin is removed between the count
	// and the save: two admins demoting each other at once cannot both see
	// the other one remain. Errors: ErrUserNotFound, without calling fn; an
	// error from fn, which rolls everything back.
	UpdateCountingAdmins(ctx context.Context, id int64, fn func(u *domain.User, activeAdmins int) error) error
	// List returns one page of users matching the filter, newest first.
	List(ctx context.Context, f UserFilter) (UserPage, error)
}

// UserFilter selects users. Zero fields select everything.
type UserFilter struct {
	Query      string        // part of the username, any case
	Roles      []domain.Role // any of these roles
	ActiveOnly bool
	Page       Page
}

// UserPage is one page of users.
type UserPage struct {
	Users []*domain.User
	Next  int64 // Before of the next page; 0 when this is the last
	Total int   // how many users match the filter
}
