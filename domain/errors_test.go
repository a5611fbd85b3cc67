package domain_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"crm/domain"
)

func TestValidationErrorMessages(t *testing.T) {
	one := domain.ValidationError{Field: "title", Code: domain.CodeRequired}
	many := domain.ValidationErrors{one, {Field: "type", Code: domain.CodeInvalid}}

	assert.Equal(t, "title: required", one.Error())
	assert.Equal(t, "invalid input: title: required; type: invalid", many.Error())
}

func TestValidationErrorsField(t *testing.T) {
	errs := domain.ValidationErrors{
		{Field: "password", Code: domain.CodeTooShort},
		{Field: "password_confirm", Code: domain.CodeMismatch},
		{Field: "password", Code: domain.CodeAllDigits},
	}

	assert.Equal(t, domain.CodeTooShort, errs.Field("password"), "the first error on a field")
	assert.Equal(t, domain.CodeMismatch, errs.Field("password_confirm"))
	assert.Empty(t, errs.Field("username"))
	assert.Empty(t, domain.ValidationErrors(nil).Field("username"))
}

func TestAsValidation(t *testing.T) {
	one := domain.ValidationError{Field: "status", Code: domain.CodeInvalid}
	many := domain.ValidationErrors{{Field: "title", Code: domain.CodeRequired}, {Field: "text", Code: domain.CodeRequired}}

	tests := []struct {
		name   string
		err    error
		want   domain.ValidationErrors
		wantOK bool
	}{
		{"a list", many, many, true},
		{"a wrapped list", fmt.Errorf("submit: %w", many), many, true},
		{"a single error becomes a list of one", one, domain.ValidationErrors{one}, true},
		{"a wrapped single error", fmt.Errorf("change status: %w", one), domain.ValidationErrors{one}, true},
		{"a sentinel is not a validation error", domain.ErrForbidden, nil, false},
		{"a plain error", errors.New("disk full"), nil, false},
		{"nil", nil, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := domain.AsValidation(tc.err)
			assert.Equal(t, tc.wantOK, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}
