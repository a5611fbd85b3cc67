package application

import (
	"context"
	"fmt"

	"crm/domain"
)

// ChangePassword is a person changing their own password on the account
// page. Their other sessions end; the one they are using stays.
type ChangePassword struct {
	Actor           *domain.User
	Token           string // the session the change is made from, kept
	CurrentPassword string
	Password        string
	PasswordConfirm string
}

type ChangePasswordHandler struct {
	users    Users
	sessions Sessions
	hasher   PasswordHasher
}

func NewChangePasswordHandler(users Users, sessions Sessions, hasher PasswordHasher) ChangePasswordHandler {
	return ChangePasswordHandler{users: users, sessions: sessions, hasher: hasher}
}

// Handle checks the current password, then the new one, stores its hash
// and ends the actor's other sessions. Errors: a ValidationError on
// "current_password" (CodeRequired, CodeWrongPassword), validation errors
// on "password" and "password_confirm", ErrBusy, ErrUserNotFound.
func (h ChangePasswordHandler) Handle(ctx context.Context, cmd ChangePassword) error {
	if cmd.CurrentPassword == "" {
		return domain.ValidationError{Field: "current_password", Code: domain.CodeRequired}
	}
	u, err := h.users.Get(ctx, cmd.Actor.ID())
	if err != nil {
		return err
	}
	ok, err := h.hasher.Verify(ctx, u.PasswordHash(), cmd.CurrentPassword)
	if err != nil {
		return fmt.Errorf("check password: %w", err)
	}
	if !ok {
		return domain.ValidationError{Field: "current_password", Code: domain.CodeWrongPassword}
	}
	if err := domain.ValidatePassword(u.Username(), cmd.Password, cmd.PasswordConfirm); err != nil {
		return err
	}
	hash, err := h.hasher.Hash(ctx, cmd.Password)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	if err := h.users.Update(ctx, u.ID(), func(u *domain.User) error {
		u.SetPasswordHash(hash)
		return nil
	}); err != nil {
		return err
	}
	if _, err := h.sessions.DeleteOthers(ctx, u.ID(), HashToken(cmd.Token)); err != nil {
		return fmt.Errorf("end other sessions: %w", err)
	}
	return nil
}
