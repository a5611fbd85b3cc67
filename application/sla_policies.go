package application

import (
	"context"
	"fmt"
	"time"

	"crm/domain"
)

// SLAPolicies stores the response targets of each ticket type.
type SLAPolicies interface {
	// Policies returns the stored policies by type; a type without one
	// has domain.DefaultSLAPolicy.
	Policies(ctx context.Context) (map[domain.TicketType]domain.SLAPolicy, error)
	// SavePolicy stores p as its type's policy, replacing the last one.
	SavePolicy(ctx context.Context, p domain.SLAPolicy, now time.Time) error
}

// policyFor returns the policy new tickets of typ are filed under: the
// stored one, the default when none is stored or no store is wired.
func policyFor(ctx context.Context, policies SLAPolicies, typ domain.TicketType) (domain.SLAPolicy, error) {
	if policies == nil {
		return domain.DefaultSLAPolicy(typ), nil
	}
	all, err := policies.Policies(ctx)
	if err != nil {
		return domain.SLAPolicy{}, fmt.Errorf("read response targets: %w", err)
	}
	if p, ok := all[typ]; ok {
		return p, nil
	}
	return domain.DefaultSLAPolicy(typ), nil
}

// ListSLAPolicies reads the response targets of every type, for the admin
// page.
type ListSLAPolicies struct{ Actor *domain.User }

type ListSLAPoliciesHandler struct{ policies SLAPolicies }

func NewListSLAPoliciesHandler(policies SLAPolicies) ListSLAPoliciesHandler {
	return ListSLAPoliciesHandler{policies: policies}
}

// Handle returns one policy per ticket type, in the types' order, the
// default where none is stored. Errors: ErrForbidden for anyone but admins.
func (h ListSLAPoliciesHandler) Handle(ctx context.Context, q ListSLAPolicies) ([]domain.SLAPolicy, error) {
	if !q.Actor.IsAdmin() {
		return nil, domain.ErrForbidden
	}
	out := make([]domain.SLAPolicy, 0, 3)
	for _, typ := range domain.TicketTypes() {
		p, err := policyFor(ctx, h.policies, typ)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
