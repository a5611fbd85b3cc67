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

// CreateUserHandler checks no actor: only the CLI, run by whoever holds the
// server, uses it.
type CreateUserHandler struct {
	users  Users
	hasher PasswordHasher
	clock  Clock
}

func NewCreateUserHandler(users Users, hasher PasswordHasher, clock Clock) CreateUserHandler {
	return CreateUserHandler{users: users, hasher: hasher, clock: clock}
}

// Handle creates the account. Errors: a ValidationError on "role" for an
// unknown role; as RegisterUser otherwise (every wrong field at once as
// domain.ValidationErrors, a taken username included; ErrBusy).
func (h CreateUserHandler) Handle(ctx context.Context, cmd CreateUser) (*domain.User, error) {
	role, err := domain.ParseRole(cmd.Role)
	if err != nil {
		return nil, err
	}
	return createUser(ctx, h.users, h.hasher, h.clock, cmd.Username, cmd.Password, cmd.Password, role)
}
