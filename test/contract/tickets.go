package contract

import (
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// Tickets is the contract of application.Tickets.
func Tickets(t *testing.T, newStore Factory) {
	t.Run("Add stores the ticket and TicketSubmitted carrying the new id", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		tk, err := domain.NewTicket(owner, "  Пропал звук  ", "Ноутбук молчит", "repair", at(5))
		require.NoError(t, err)

		require.NoError(t, s.Tickets.Add(ctx(t), tk))

		require.NotZero(t, tk.ID())
		got := get(t, s, tk.ID())
		assert.Equal(t, tk.ID(), got.ID())
		assert.Equal(t, owner.ID(), got.OwnerID())
		assert.Equal(t, "alice", got.OwnerName())
		assert.Equal(t, "Пропал звук", got.Title())
		assert.Equal(t, "Ноутбук молчит", got.Text())
		assert.Equal(t, domain.TypeRepair, got.Type())
		assert.Equal(t, domain.StatusOpen, got.Status())
		assert.Zero(t, got.AssigneeID())
		assert.Empty(t, got.AssigneeName())
		assertTime(t, at(5), got.CreatedAt())
		assertTime(t, at(5), got.UpdatedAt())
		assert.Empty(t, got.History())
		assert.Empty(t, got.Comments())
		assert.Empty(t, got.Events(), "a loaded ticket has no new events")

		stored := events(t, s)
		require.Len(t, stored, 1)
		assert.Equal(t, domain.KindTicketSubmitted, stored[0].Kind)
		assert.Equal(t, "ticket:"+itoa(tk.ID()), stored[0].Stream)
		assert.Equal(t, domain.TicketSubmitted{TicketID: tk.ID(), OwnerID: owner.ID(), OwnerName: "alice",
			Title: "Пропал звук", Type: "repair", At: at(5)}, stored[0].Event)
		assertTime(t, at(5), stored[0].At)
	})

	t.Run("ids are sequential", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		a := addTicket(t, s, owner, "one", "text", domain.TypeRepair, at(1))
		b := addTicket(t, s, owner, "two", "text", domain.TypeRepair, at(2))
		assert.Less(t, a.ID(), b.ID())
	})

	t.Run("an unknown ticket is not found", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Tickets.Get(ctx(t), 999999)
		assert.ErrorIs(t, err, domain.ErrTicketNotFound)
		called := false
		err = s.Tickets.Update(ctx(t), 999999, func(*domain.Ticket) error { called = true; return nil })
		assert.ErrorIs(t, err, domain.ErrTicketNotFound)
		assert.False(t, called)
	})

	t.Run("Update persists status, assignee, history and comments with ids", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sam", domain.RoleStaff)
		tk := addTicket(t, s, owner, "Printer", "jams", domain.TypeRepair, at(0))

		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			if err := tk.ChangeStatus(staff, domain.StatusInProgress, "взял в работу", at(1)); err != nil {
				return err
			}
			if err := tk.Assign(staff, staff, at(2)); err != nil {
				return err
			}
			if err := tk.AddComment(owner, "Спасибо!", false, at(3)); err != nil {
				return err
			}
			return tk.AddComment(staff, "needs a part", true, at(4))
		})
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			return tk.AddComment(staff, "part ordered", false, at(5))
		})

		got := get(t, s, tk.ID())
		assert.Equal(t, domain.StatusInProgress, got.Status())
		assert.Equal(t, staff.ID(), got.AssigneeID())
		assert.Equal(t, "sam", got.AssigneeName())
		assertTime(t, at(0), got.CreatedAt())
		assertTime(t, at(5), got.UpdatedAt())

		require.Len(t, got.History(), 1)
		h := got.History()[0]
		assert.NotZero(t, h.ID)
		assert.Equal(t, staff.ID(), h.ByID)
		assert.Equal(t, "sam", h.ByName)
		assert.Equal(t, domain.StatusOpen, h.From)
		assert.Equal(t, domain.StatusInProgress, h.To)
		assert.Equal(t, "взял в работу", h.Comment)
		assertTime(t, at(1), h.At)

		require.Len(t, got.Comments(), 3, "earlier comments are not stored twice")
		for i, want := range []domain.Comment{
			{AuthorID: owner.ID(), AuthorName: "alice", Text: "Спасибо!", Internal: false, At: at(3)},
			{AuthorID: staff.ID(), AuthorName: "sam", Text: "needs a part", Internal: true, At: at(4)},
			{AuthorID: staff.ID(), AuthorName: "sam", Text: "part ordered", Internal: false, At: at(5)},
		} {
			c := got.Comments()[i]
			assert.NotZero(t, c.ID)
			if i > 0 {
				assert.Greater(t, c.ID, got.Comments()[i-1].ID, "comments keep their order")
			}
			assertTime(t, want.At, c.At)
			c.ID, c.At = 0, want.At
			assert.Equal(t, want, c)
		}
		assert.Len(t, got.VisibleComments(owner), 2, "the owner does not see the internal note")

		assert.Equal(t, []string{
			domain.KindCommentAdded, domain.KindCommentAdded, domain.KindCommentAdded,
			domain.KindTicketAssigned, domain.KindTicketStatusChanged, domain.KindTicketSubmitted,
		}, kindsOf(events(t, s)))
		changed := events(t, s, domain.KindTicketStatusChanged)[0].Event
		assert.Equal(t, domain.TicketStatusChanged{TicketID: tk.ID(), OwnerID: owner.ID(), Title: "Printer",
			From: "open", To: "in_progress", ByID: staff.ID(), ByName: "sam", Comment: "взял в работу", At: at(1)}, changed)
	})

	t.Run("a failing Update changes nothing and stores no events", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sam", domain.RoleStaff)
		tk := addTicket(t, s, owner, "Printer", "jams", domain.TypeRepair, at(0))

		err := s.Tickets.Update(ctx(t), tk.ID(), func(tk *domain.Ticket) error {
			require.NoError(t, tk.ChangeStatus(staff, domain.StatusClosed, "", at(1)))
			require.NoError(t, tk.Assign(staff, staff, at(1)))
			require.NoError(t, tk.AddComment(staff, "done", false, at(1)))
			return errBoom
		})
		assert.ErrorIs(t, err, errBoom)

		err = s.Tickets.Update(ctx(t), tk.ID(), func(tk *domain.Ticket) error {
			return tk.ChangeStatus(staff, domain.StatusOpen, "", at(2)) // open → open
		})
		assert.ErrorIs(t, err, domain.ErrInvalidTransition, "a domain error comes back as it is")

		got := get(t, s, tk.ID())
		assert.Equal(t, domain.StatusOpen, got.Status())
		assert.Zero(t, got.AssigneeID())
		assert.Empty(t, got.History())
		assert.Empty(t, got.Comments())
		assertTime(t, at(0), got.UpdatedAt())
		assert.Equal(t, []string{domain.KindTicketSubmitted}, kindsOf(events(t, s)))
	})

	t.Run("taking a ticket back leaves it unassigned", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sam", domain.RoleStaff)
		tk := addTicket(t, s, owner, "Printer", "jams", domain.TypeRepair, at(0))
		update(t, s, tk.ID(), func(tk *domain.Ticket) error { return tk.Assign(staff, staff, at(1)) })

		update(t, s, tk.ID(), func(tk *domain.Ticket) error { return tk.Assign(staff, nil, at(2)) })

		got := get(t, s, tk.ID())
		assert.Zero(t, got.AssigneeID())
		assert.Empty(t, got.AssigneeName())
		page, err := s.Tickets.Search(ctx(t), application.TicketFilter{AssigneeID: application.Unassigned})
		require.NoError(t, err)
		assert.Equal(t, []int64{tk.ID()}, ticketIDs(page.Tickets))
	})

	t.Run("a returned ticket is a copy", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sam", domain.RoleStaff)
		tk := addTicket(t, s, owner, "Printer", "jams", domain.TypeRepair, at(0))
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			return tk.ChangeStatus(staff, domain.StatusInProgress, "on it", at(1))
		})

		got := get(t, s, tk.ID())
		got.History()[0].Comment = "rewritten"
		require.NoError(t, got.AddComment(owner, "not stored", false, at(2)))
		require.NoError(t, got.ChangeStatus(staff, domain.StatusClosed, "", at(2)))

		again := get(t, s, tk.ID())
		assert.Equal(t, domain.StatusInProgress, again.Status())
		assert.Equal(t, "on it", again.History()[0].Comment)
		assert.Len(t, again.History(), 1)
		assert.Empty(t, again.Comments())
	})

	ticketFilters(t, newStore)
	ticketConcurrency(t, newStore)
}

func ticketIDs(ts []*domain.Ticket) []int64 {
	out := []int64{}
	for _, t := range ts {
		out = append(out, t.ID())
	}
	return out
}

// nonZero drops the statuses counted zero, which adapters may or may not
// list.
func nonZero(m map[domain.Status]int) map[domain.Status]int {
	out := maps.Clone(m)
	if out == nil {
		out = map[domain.Status]int{}
	}
	maps.DeleteFunc(out, func(_ domain.Status, n int) bool { return n == 0 })
	return out
}
