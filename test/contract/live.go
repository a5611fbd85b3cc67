package contract

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// LiveEvents is the contract of application.LiveEvents: the events the
// repositories store, read forward from an id.
func LiveEvents(t *testing.T, newStore Factory) {
	t.Run("empty", func(t *testing.T) {
		s := newStore(t)
		last, err := s.Live.LastEventID(ctx(t))
		require.NoError(t, err)
		assert.Zero(t, last)
		got, err := s.Live.EventsAfter(ctx(t), 0, 10)
		require.NoError(t, err)
		assert.Empty(t, got)
	})

	t.Run("after an id, oldest first, limited", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "owner", domain.RoleUser)
		staff := addUser(t, s, "staff", domain.RoleStaff)
		tk := addTicket(t, s, owner, "ticket", "text", domain.TypeRepair, at(0))
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			return tk.AddComment(staff, "a note", true, at(1))
		})
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			return tk.ChangeStatus(staff, domain.StatusInProgress, "", at(2))
		})

		last, err := s.Live.LastEventID(ctx(t))
		require.NoError(t, err)
		all, err := s.Live.EventsAfter(ctx(t), 0, 100)
		require.NoError(t, err)
		require.NotEmpty(t, all)
		assert.Equal(t, last, all[len(all)-1].ID, "the newest is the last")
		for i := 1; i < len(all); i++ {
			assert.Less(t, all[i-1].ID, all[i].ID, "oldest first")
		}
		mine := all[len(all)-3:]
		assert.Equal(t, []string{domain.KindTicketSubmitted, domain.KindCommentAdded, domain.KindTicketStatusChanged},
			[]string{mine[0].Kind, mine[1].Kind, mine[2].Kind})
		assert.Equal(t, fmt.Sprintf("ticket:%d", tk.ID()), mine[1].Stream)
		var facts struct {
			OwnerID  int64 `json:"owner_id"`
			Internal bool  `json:"internal"`
		}
		require.NoError(t, json.Unmarshal(mine[1].Payload, &facts))
		assert.Equal(t, owner.ID(), facts.OwnerID, "the payload says who may hear of it")
		assert.True(t, facts.Internal)

		got, err := s.Live.EventsAfter(ctx(t), mine[0].ID, 1)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, mine[1].ID, got[0].ID)
		got, err = s.Live.EventsAfter(ctx(t), last, 10)
		require.NoError(t, err)
		assert.Empty(t, got, "nothing after the newest")
	})
}

// Presence is the contract of application.Presence.
func Presence(t *testing.T, newStore Factory) {
	keys := func(vs []application.Viewer) []string {
		out := []string{}
		for _, v := range vs {
			out = append(out, v.Key)
		}
		return out
	}

	t.Run("touch, refresh, move and leave", func(t *testing.T) {
		s := newStore(t)
		p := s.Presence
		require.NoError(t, p.Touch(ctx(t), application.Viewer{Key: "a", TicketID: 1, UserID: 7, Username: "anna", SeenAt: at(0)}))
		require.NoError(t, p.Touch(ctx(t), application.Viewer{Key: "b", TicketID: 1, UserID: 8, Username: "boris", SeenAt: at(1)}))
		require.NoError(t, p.Touch(ctx(t), application.Viewer{Key: "c", TicketID: 2, UserID: 7, Username: "anna", SeenAt: at(1)}))

		got, err := p.Viewers(ctx(t), 1, at(0))
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "b"}, keys(got), "oldest first, this ticket only")
		assert.Equal(t, "anna", got[0].Username)
		assert.Equal(t, int64(7), got[0].UserID)
		assertTime(t, at(0), got[0].SeenAt)

		got, err = p.Viewers(ctx(t), 1, at(1))
		require.NoError(t, err)
		assert.Equal(t, []string{"b"}, keys(got), "those seen before since have left")

		require.NoError(t, p.Touch(ctx(t), application.Viewer{Key: "a", TicketID: 1, UserID: 7, Username: "anna", SeenAt: at(2)}))
		got, err = p.Viewers(ctx(t), 1, at(1))
		require.NoError(t, err)
		assert.Equal(t, []string{"b", "a"}, keys(got), "a refresh counts anew")

		require.NoError(t, p.Touch(ctx(t), application.Viewer{Key: "b", TicketID: 2, UserID: 8, Username: "boris", SeenAt: at(3)}))
		got, err = p.Viewers(ctx(t), 1, at(0))
		require.NoError(t, err)
		assert.Equal(t, []string{"a"}, keys(got), "a page that moved to another ticket left this one")

		require.NoError(t, p.Leave(ctx(t), "a"))
		require.NoError(t, p.Leave(ctx(t), "unknown"))
		got, err = p.Viewers(ctx(t), 1, at(0))
		require.NoError(t, err)
		assert.Empty(t, got)
		got, err = p.Viewers(ctx(t), 2, at(0))
		require.NoError(t, err)
		assert.Equal(t, []string{"c", "b"}, keys(got))
	})
}
