package memory_test

import (
	"testing"

	"crm/adapters/memory"
	"crm/test/contract"
)

// TestOutboxLagContract runs the OldestPendingAt contract against the
// in-memory Outbox.
func TestOutboxLagContract(t *testing.T) {
	t.Parallel()
	contract.OutboxLag(t, func(t *testing.T) contract.Store {
		s := memory.NewStore()
		return contract.Store{Users: s.Users, Tickets: s.Tickets, Events: s.Events, Outbox: memory.NewOutbox(s.Events)}
	})
}
