package memory

import (
	"context"
	"maps"
	"sync"
	"time"

	"crm/application"
	"crm/domain"
)

var _ application.SLAPolicies = (*SLAPolicies)(nil)

// SLAPolicies keeps the response targets per ticket type in memory.
type SLAPolicies struct {
	mu     sync.Mutex
	byType map[domain.TicketType]domain.SLAPolicy
}

// NewSLAPolicies returns SLAPolicies with none stored: every type has the
// defaults.
func NewSLAPolicies() *SLAPolicies {
	return &SLAPolicies{byType: map[domain.TicketType]domain.SLAPolicy{}}
}

// Policies returns a copy of the stored policies by type.
func (s *SLAPolicies) Policies(context.Context) (map[domain.TicketType]domain.SLAPolicy, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.byType), nil
}

// SavePolicy stores p as its type's policy, to the second, as the SQL
// adapters do.
func (s *SLAPolicies) SavePolicy(_ context.Context, p domain.SLAPolicy, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.Response = p.Response.Truncate(time.Second)
	p.Resolution = p.Resolution.Truncate(time.Second)
	s.byType[p.Type] = p
	return nil
}
