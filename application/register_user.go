package application

import (
	"context"
	"errors"
	"fmt"

	"crm/domain"
)

// RegisterUser signs a person up as a plain user.
type RegisterUser struct {
	Username        string
	Password        string
	PasswordConfirm string
}

type RegisterUserHandler struct {
	users  Users
	hasher PasswordHasher
	clock  Clock
}

func NewRegisterUserHandler(users Users, hasher PasswordHasher, clock Clock) RegisterUserHandler {
	return RegisterUserHandler{users: users, hasher: hasher, clock: clock}
}

// Handle creates the account. Every wrong field comes back at once as
// domain.ValidationErrors, a taken username included; ErrBusy when too
// many passwords are being hashed at once.
func (h RegisterUserHandler) Handle(ctx context.Context, cmd RegisterUser) (*domain.User, error) {
	return createUser(ctx, h.users, h.hasher, h.clock, cmd.Username, cmd.Password, cmd.PasswordConfirm, domain.RoleUser)
}

// createUser is shared by sign-up and the operator's `user create`.
func createUser(ctx context.Context, users Users, hasher PasswordHasher, clock Clock,
	username, password, confirm string, role domain.Role) (*domain.User, error) {
	var errs domain.ValidationErrors
	if err := domain.ValidateUsername(username); err != nil {
		errs = append(errs, err.(domain.ValidationError))
	}
	if err := domain.ValidatePassword(username, password, confirm); err != nil {
		errs = append(errs, err.(domain.ValidationErrors)...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	hash, err := hasher.Hash(ctx, password)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	u, err := domain.NewUser(username, hash, role, clock.Now())
	if err != nil {
		return nil, err
	}
	if err := users.Add(ctx, u); err != nil {
		if errors.Is(err, domain.ErrUsernameTaken) {
			return nil, domain.ValidationErrors{{Field: "username", Code: domain.CodeTaken}}
		}
		return nil, fmt.Errorf("add user: %w", err)
	}
	return u, nil
}
