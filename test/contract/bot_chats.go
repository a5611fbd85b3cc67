package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// BotChats is the contract of application.BotChats.
func BotChats(t *testing.T, newStore Factory) {
	t.Run("a remembered message gives its ticket, in its chat only", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleUser)
		tk := addTicket(t, s, alice, "Printer", "jammed", domain.TypeRepair, at(0))
		other := addTicket(t, s, alice, "Chair", "broken", domain.TypeRepair, at(0))
		require.NoError(t, s.BotChats.RememberMessage(ctx(t), 1001, 7, tk.ID(), at(1)))

		got, err := s.BotChats.TicketOfMessage(ctx(t), 1001, 7)
		require.NoError(t, err)
		assert.Equal(t, tk.ID(), got)
		_, err = s.BotChats.TicketOfMessage(ctx(t), 1002, 7)
		assert.ErrorIs(t, err, application.ErrBotMessageUnknown, "another chat's message 7")
		_, err = s.BotChats.TicketOfMessage(ctx(t), 1001, 8)
		assert.ErrorIs(t, err, application.ErrBotMessageUnknown)

		require.NoError(t, s.BotChats.RememberMessage(ctx(t), 1001, 7, other.ID(), at(2)), "remembered again")
		got, err = s.BotChats.TicketOfMessage(ctx(t), 1001, 7)
		require.NoError(t, err)
		assert.Equal(t, other.ID(), got)
	})

	t.Run("a chat never seen has no dialogue", func(t *testing.T) {
		s := newStore(t)
		d, err := s.BotChats.Dialogue(ctx(t), 1001)
		require.NoError(t, err)
		assert.Equal(t, application.BotDialogue{ChatID: 1001}, d)
	})

	t.Run("a saved dialogue is read back and replaced", func(t *testing.T) {
		s := newStore(t)
		want := application.BotDialogue{ChatID: 1001, Step: application.BotStepText, Type: "repair",
			DraftKey: "k1", Draft: "The printer\nis jammed ✓", DraftFile: application.BotFile{ID: "AgACAgIAAxkB", Name: "счёт.pdf", Size: 20 << 20},
			OpenedSince: at(0), Opened: 3, UpdatedAt: at(1)}
		require.NoError(t, s.BotChats.SaveDialogue(ctx(t), want))
		require.NoError(t, s.BotChats.SaveDialogue(ctx(t), application.BotDialogue{ChatID: 1002, UpdatedAt: at(1)}))

		got, err := s.BotChats.Dialogue(ctx(t), 1001)
		require.NoError(t, err)
		want.OpenedSince, want.UpdatedAt = micro(at(0)), micro(at(1))
		assert.Equal(t, want, got)

		require.NoError(t, s.BotChats.SaveDialogue(ctx(t), application.BotDialogue{ChatID: 1001, UpdatedAt: at(2)}))
		got, err = s.BotChats.Dialogue(ctx(t), 1001)
		require.NoError(t, err)
		assert.Equal(t, application.BotDialogue{ChatID: 1001, UpdatedAt: micro(at(2))}, got)
	})
}
