package web

import (
	"time"

	"crm/domain"
)

// apiTargets are a ticket's response targets in the API: the due times
// (null for a ticket filed before targets existed) and whether a pending
// one has passed.
type apiTargets struct {
	ResponseDueAt   *time.Time `json:"response_due_at"`
	ResolutionDueAt *time.Time `json:"resolution_due_at"`
	Overdue         bool       `json:"overdue"`
}

func newAPITargets(t *domain.Ticket, now time.Time) apiTargets {
	s := t.Targets()
	out := apiTargets{Overdue: t.Overdue(now)}
	if s.HasTargets {
		response, resolution := s.ResponseDue, s.ResolutionDue
		out.ResponseDueAt, out.ResolutionDueAt = &response, &resolution
	}
	return out
}
