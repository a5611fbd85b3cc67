package application

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"crm/domain"
)

// IssueAPIToken makes a new API token for the user named Username.
type IssueAPIToken struct {
	Actor    *domain.User // nil: the operator at the command line
	Username string
	Name     string // a label; "" means APITokenDefaultName
}

// IssuedAPIToken is a new token. Token is shown once and never stored.
type IssuedAPIToken struct {
	Token    string
	APIToken domain.APIToken
	User     *domain.User
}

type IssueAPITokenHandler struct {
	tokens APITokens
	users  Users
	clock  Clock
}

func NewIssueAPITokenHandler(tokens APITokens, users Users, clock Clock) IssueAPITokenHandler {
	return IssueAPITokenHandler{tokens: tokens, users: users, clock: clock}
}

// Handle stores the hash of a new random token and returns the token.
// Errors: ErrUserNotFound, ErrForbidden when an actor other than an admin
// asks for someone else's token, ErrAccountDisabled for a deactivated
// account, a ValidationError on "name" when the label is too long or not
// text.
func (h IssueAPITokenHandler) Handle(ctx context.Context, cmd IssueAPIToken) (IssuedAPIToken, error) {
	name := strings.TrimSpace(cmd.Name)
	if name == "" {
		name = APITokenDefaultName
	}
	if err := domain.CheckText("name", name); err != nil {
		return IssuedAPIToken{}, err
	}
	if utf8.RuneCountInString(name) > APITokenNameMaxLen {
		return IssuedAPIToken{}, domain.ValidationError{Field: "name", Code: domain.CodeTooLong}
	}
	u, err := findTokenOwner(ctx, h.users, cmd.Actor, cmd.Username)
	if err != nil {
		return IssuedAPIToken{}, err
	}
	if !u.Active() {
		return IssuedAPIToken{}, domain.ErrAccountDisabled
	}
	token := APITokenPrefix + NewSecretToken()
	t := domain.APIToken{TokenHash: HashToken(token), UserID: u.ID(), Name: name, CreatedAt: h.clock.Now().UTC()}
	if err := h.tokens.Create(ctx, &t); err != nil {
		return IssuedAPIToken{}, fmt.Errorf("store api token: %w", err)
	}
	return IssuedAPIToken{Token: token, APIToken: t, User: u}, nil
}
