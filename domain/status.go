package domain

import (
	"fmt"
	"slices"
)

// Status is where a ticket is in its life: a closed set.
type Status struct{ slug string }

// The statuses.
var (
	StatusOpen       = Status{"open"}
	StatusInProgress = Status{"in_progress"}
	StatusClosed     = Status{"closed"}
)

var statuses = [...]Status{StatusOpen, StatusInProgress, StatusClosed}

// Statuses lists every status in workflow order, in a new slice each call.
func Statuses() []Status { return slices.Clone(statuses[:]) }

// transition is one move of the workflow. Staff make every move; byOwner
// says the ticket's owner may make it too.
type transition struct {
	to      Status
	byOwner bool
}

// transitions is the workflow: open → in_progress → closed, open → closed,
// and closed → open (reopen). Anything else is refused. The owner may close
// their own ticket ("it's solved") and reopen it, but only staff say that
// work has started.
var transitions = map[Status][]transition{
	StatusOpen:       {{StatusInProgress, false}, {StatusClosed, true}},
	StatusInProgress: {{StatusClosed, true}},
	StatusClosed:     {{StatusOpen, true}},
}

// ParseStatus returns the status named s, or a ValidationError on "status".
func ParseStatus(s string) (Status, error) {
	for _, st := range statuses {
		if st.slug == s {
			return st, nil
		}
	}
	return Status{}, ValidationError{Field: "status", Code: CodeInvalid}
}

// MustParseStatus is ParseStatus for values known to be valid.
func MustParseStatus(s string) Status {
	st, err := ParseStatus(s)
	if err != nil {
		panic(fmt.Sprintf("domain: invalid status %q", s))
	}
	return st
}

func (s Status) String() string { return s.slug }

// IsZero reports whether s is the zero value.
func (s Status) IsZero() bool { return s.slug == "" }

// CanBecome reports whether the workflow allows moving from s to to.
func (s Status) CanBecome(to Status) bool {
	for _, next := range transitions[s] {
		if next.to == to {
			return true
		}
	}
	return false
}

// OwnerMay reports whether a ticket's owner may move it from s to to.
func (s Status) OwnerMay(to Status) bool {
	for _, next := range transitions[s] {
		if next.to == to && next.byOwner {
			return true
		}
	}
	return false
}

// Next lists the statuses s may move to, in workflow order.
func (s Status) Next() []Status {
	out := make([]Status, 0, len(transitions[s]))
	for _, next := range transitions[s] {
		out = append(out, next.to)
	}
	return out
}

// NextForOwner lists the statuses a ticket's owner may move it to from s,
// in workflow order.
func (s Status) NextForOwner() []Status {
	var out []Status
	for _, next := range transitions[s] {
		if next.byOwner {
			out = append(out, next.to)
		}
	}
	return out
}
