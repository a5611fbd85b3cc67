package application

import (
	"context"

	"crm/domain"
)

// SetLanguage keeps the interface language a person chose on /account ("" to
// follow the browser).
type SetLanguage struct {
	Actor    *domain.User
	Language string
}

type SetLanguageHandler struct {
	users     Users
	supported []string
}

// NewSetLanguageHandler takes the language tags a person may choose; ""
// (follow the browser) is always accepted.
func NewSetLanguageHandler(users Users, supported []string) SetLanguageHandler {
	return SetLanguageHandler{users: users, supported: supported}
}

// Handle stores the choice on the actor's own account. Errors: a
// ValidationError on "language" for a tag not offered, ErrUserNotFound.
func (h SetLanguageHandler) Handle(ctx context.Context, cmd SetLanguage) error {
	ok := cmd.Language == ""
	for _, l := range h.supported {
		ok = ok || l == cmd.Language
	}
	if !ok {
		return domain.ValidationError{Field: "language", Code: domain.CodeInvalid}
	}
	return h.users.Update(ctx, cmd.Actor.ID(), func(u *domain.User) error {
		return u.SetLanguage(cmd.Language)
	})
}
