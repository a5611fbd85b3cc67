package memory_test

import (
	"testing"

	"crm/adapters/memory"
	"crm/test/contract"
)

// TestContract runs every port's contract suite against the in-memory
// adapter.
func TestContract(t *testing.T) {
	t.Parallel()
	contract.Run(t, func(t *testing.T) contract.Store {
		s := memory.NewStore()
		return contract.Store{
			Users: s.Users, Tickets: s.Tickets, Attachments: s.Attachments, Files: s.Files,
			Sessions: s.Sessions, Events: s.Events, LinkTokens: memory.NewLinkTokens(),
			Outbox: memory.NewOutbox(s.Events), APITokens: memory.NewAPITokens(),
			PasswordResets: memory.NewPasswordResets(), TwoFactors: memory.NewTwoFactors(),
			BotChats: memory.NewBotChats(), SavedReplies: memory.NewSavedReplies(),
			Live: s.Events, Presence: memory.NewPresence(),
			SLAPolicies: s.SLAPolicies,
			Reports:     s.Reports,
		}
	})
}
