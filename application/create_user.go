package application

import (
	"context"

	"crm/domain"
)

// CreateUser is the operator's way to make an account with any role (the
// CLI's `user create`).
type CreateUser struct {
	Username string
	Password string
	Role     string
}

// CreateUserHandler handles CreateUser. It trusts its caller: only the CLI,
// run by whoever holds the server, uses it.
type CreateUserHandler struct {
	users  Users
	hasher PasswordHasher
	clock  Clock
}

// NewCreateUserHandler returns a CreateUserHandler.
func NewCreateUserHandler(users Users, hasher PasswordHasher, clock Clock) CreateUserHandler {
	return CreateUserHandler{users: users, hasher: hasher, clock: clock}
}

// Handle creates the account, or returns validation errors.
func (h CreateUserHandler) Handle(ctx context.Context, cmd CreateUser) (*domain.User, error) {
	role, err := domain.ParseRole(cmd.Role)
	if err != nil {
		return nil, err
	}
	return createUser(ctx, h.users, h.hasher, h.clock, cmd.Username, cmd.Password, cmd.Password, role)
}
