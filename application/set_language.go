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

// SetLanguageHandler handles SetLanguage.
type SetLanguageHandler struct {
	users     Users
	supported []string
}

// NewSetLanguageHandler returns a SetLanguageHandler accepting the given
// language tags.
func NewSetLanguageHandler(users Users, supported []string) SetLanguageHandler {
	return SetLanguageHandler{users: users, supported: supported}
}

// Handle stores the choice, or returns a ValidationError on "language".
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
