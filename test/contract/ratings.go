package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// Ratings is the contract of the owner's rating of a closing and of the
// reopening by the owner's reply, as application.Tickets keeps them.
func Ratings(t *testing.T, newStore Factory) {
	t.Run("a rating is stored with TicketRated and read by Get and Search", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		tk := addTicket(t, s, owner, "Printer", "jams", domain.TypeRepair, at(0))
		other := addTicket(t, s, owner, "Monitor", "flickers", domain.TypeRepair, at(1))
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			return tk.ChangeStatus(owner, domain.StatusClosed, "", at(2))
		})

		update(t, s, tk.ID(), func(tk *domain.Ticket) error { return tk.Rate(owner, 4, atMoscow(3)) })

		got := get(t, s, tk.ID())
		assert.Equal(t, 4, got.Rating())
		assertTime(t, at(3), got.RatedAt())
		assert.Zero(t, get(t, s, other.ID()).Rating(), "an unrated ticket has no rating")
		assert.True(t, get(t, s, other.ID()).RatedAt().IsZero())
		page, err := s.Tickets.Search(ctx(t), application.TicketFilter{})
		require.NoError(t, err)
		require.Len(t, page.Tickets, 2)
		assert.Zero(t, page.Tickets[0].Rating(), "the newest, unrated")
		assert.Equal(t, 4, page.Tickets[1].Rating(), "a list shows the rating")
		assertTime(t, at(3), page.Tickets[1].RatedAt())
		rated := events(t, s, domain.KindTicketRated)
		require.Len(t, rated, 1)
		assert.Equal(t, domain.TicketRated{TicketID: tk.ID(), OwnerID: owner.ID(), Title: "Printer", Stars: 4,
			ByID: owner.ID(), ByName: "alice", At: at(3)}, rated[0].Event)
	})

	t.Run("a changed rating replaces the first", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		tk := addTicket(t, s, owner, "Printer", "jams", domain.TypeRepair, at(0))
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			if err := tk.ChangeStatus(owner, domain.StatusClosed, "", at(1)); err != nil {
				return err
			}
			return tk.Rate(owner, 2, at(2))
		})

		update(t, s, tk.ID(), func(tk *domain.Ticket) error { return tk.Rate(owner, 5, at(3)) })

		got := get(t, s, tk.ID())
		assert.Equal(t, 5, got.Rating())
		assertTime(t, at(3), got.RatedAt())
		assert.Len(t, events(t, s, domain.KindTicketRated), 2)
	})

	t.Run("the owner's reply reopens, keeps the step marked and clears the rating", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sam", domain.RoleStaff)
		tk := addTicket(t, s, owner, "Printer", "jams", domain.TypeRepair, at(0))
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			if err := tk.ChangeStatus(staff, domain.StatusClosed, "", at(1)); err != nil {
				return err
			}
			return tk.Rate(owner, 3, at(2))
		})

		update(t, s, tk.ID(), func(tk *domain.Ticket) error { return tk.AddComment(owner, "still jams", false, at(3)) })

		got := get(t, s, tk.ID())
		assert.Equal(t, domain.StatusOpen, got.Status())
		assert.Zero(t, got.Rating())
		assert.True(t, got.RatedAt().IsZero())
		history := got.History()
		require.Len(t, history, 2)
		assert.False(t, history[0].ByReply, "staff closed it")
		assert.True(t, history[1].ByReply, "the owner's reply reopened it")
		page, err := s.Tickets.Search(ctx(t), application.TicketFilter{Status: domain.StatusOpen})
		require.NoError(t, err)
		require.Len(t, page.Tickets, 1)
		assert.Zero(t, page.Tickets[0].Rating())
		changes := events(t, s, domain.KindTicketStatusChanged)
		require.Len(t, changes, 2)
		assert.True(t, changes[0].Event.(domain.TicketStatusChanged).ByReply, "newest first: the reopening")
	})

	t.Run("a failed update keeps the rating it had", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		tk := addTicket(t, s, owner, "Printer", "jams", domain.TypeRepair, at(0))
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			if err := tk.ChangeStatus(owner, domain.StatusClosed, "", at(1)); err != nil {
				return err
			}
			return tk.Rate(owner, 2, at(2))
		})

		err := s.Tickets.Update(ctx(t), tk.ID(), func(tk *domain.Ticket) error {
			require.NoError(t, tk.Rate(owner, 5, at(3)))
			return errBoom
		})

		require.ErrorIs(t, err, errBoom)
		assert.Equal(t, 2, get(t, s, tk.ID()).Rating())
		assert.Len(t, events(t, s, domain.KindTicketRated), 1)
	})
}
