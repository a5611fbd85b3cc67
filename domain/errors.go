// Package domain holds the entities, value types, events and errors of the
// request desk. It depends on the standard library only.
package domain

import (
	"errors"
	"strings"
)

// Sentinel errors. Adapters map their storage errors to these; the HTTP
// adapter maps these to status codes in one table.
var (
	ErrUserNotFound       = errors.New("user not found")
	ErrTicketNotFound     = errors.New("ticket not found")
	ErrSessionNotFound    = errors.New("session not found")
	ErrUsernameTaken      = errors.New("username is taken")
	ErrInvalidCredentials = errors.New("invalid username or password")
	ErrAccountDisabled    = errors.New("account is disabled")
	ErrForbidden          = errors.New("forbidden")
	ErrInvalidTransition  = errors.New("status transition not allowed")
	ErrLastAdmin          = errors.New("the last active admin cannot be demoted or deactivated")
	ErrLinkTokenInvalid   = errors.New("link token is unknown")
	ErrLinkTokenUsed      = errors.New("link token was already used")
	ErrLinkTokenExpired   = errors.New("link token has expired")
	ErrTelegramNotLinked  = errors.New("telegram is not linked")
	ErrDeliveryNotFound   = errors.New("delivery not found")
)

// ValidationError says which field of an input is wrong and why. Code is a
// stable machine-readable reason ("required", "too_long", ...) that the edges
// translate into a message in the reader's language.
type ValidationError struct {
	Field string
	Code  string
}

func (e ValidationError) Error() string { return e.Field + ": " + e.Code }

// ValidationErrors is every problem found in one input, so a form can show a
// message beside each wrong field at once.
type ValidationErrors []ValidationError

func (es ValidationErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Field returns the code of the first error on field, or "".
func (es ValidationErrors) Field(field string) string {
	for _, e := range es {
		if e.Field == field {
			return e.Code
		}
	}
	return ""
}

// orNil returns nil for an empty list so callers can `return errs.orNil()`.
func (es ValidationErrors) orNil() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// AsValidation returns the validation errors inside err, if any.
func AsValidation(err error) (ValidationErrors, bool) {
	var many ValidationErrors
	if errors.As(err, &many) {
		return many, true
	}
	var one ValidationError
	if errors.As(err, &one) {
		return ValidationErrors{one}, true
	}
	return nil, false
}

// Validation codes.
const (
	CodeRequired       = "required"
	CodeTooLong        = "too_long"
	CodeTooShort       = "too_short"
	CodeInvalid        = "invalid"
	CodeInvalidChars   = "invalid_chars"
	CodeTaken          = "taken"
	CodeMismatch       = "mismatch"
	CodeAllDigits      = "all_digits"
	CodeSameAsUsername = "same_as_username"
	CodeNotStaff       = "not_staff"
)
