package domain

import (
	"fmt"
	"slices"
)

// TicketType is what a request is about: a closed set.
type TicketType struct{ slug string }

// The ticket types.
var (
	TypeConsultation = TicketType{"consultation"}
	TypeRepair       = TicketType{"repair"}
	TypeService      = TicketType{"service"}
)

var ticketTypes = [...]TicketType{TypeConsultation, TypeRepair, TypeService}

// TicketTypes lists every type, in a new slice each call.
func TicketTypes() []TicketType { return slices.Clone(ticketTypes[:]) }

// ParseTicketType returns the type named s, or a ValidationError on "type".
func ParseTicketType(s string) (TicketType, error) {
	for _, t := range ticketTypes {
		if t.slug == s {
			return t, nil
		}
	}
	if s == "" {
		return TicketType{}, ValidationError{Field: "type", Code: CodeRequired}
	}
	return TicketType{}, ValidationError{Field: "type", Code: CodeInvalid}
}

// MustParseTicketType is ParseTicketType for values known to be valid.
func MustParseTicketType(s string) TicketType {
	t, err := ParseTicketType(s)
	if err != nil {
		panic(fmt.Sprintf("domain: invalid ticket type %q", s))
	}
	return t
}

func (t TicketType) String() string { return t.slug }

// IsZero reports whether t is the zero value.
func (t TicketType) IsZero() bool { return t.slug == "" }
