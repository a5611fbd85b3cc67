package contract

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// ticketConcurrency is the contract of application.Tickets under
// concurrent writers: no update is lost, a transition is taken once.
func ticketConcurrency(t *testing.T, newStore Factory) {
	t.Run("concurrent updates of one ticket all land", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sam", domain.RoleStaff)
		tk := addTicket(t, s, owner, "Busy", "ticket", domain.TypeRepair, at(0))
		const n = 20

		errs := runConcurrently(n, func(i int) error {
			return s.Tickets.Update(ctx(t), tk.ID(), func(tk *domain.Ticket) error {
				return tk.AddComment(staff, fmt.Sprintf("comment %d", i), i%2 == 0, at(i+1))
			})
		})

		for _, err := range errs {
			require.NoError(t, err)
		}
		got := get(t, s, tk.ID())
		require.Len(t, got.Comments(), n, "no update is lost")
		texts := map[string]bool{}
		ids := map[int64]bool{}
		for _, c := range got.Comments() {
			texts[c.Text] = true
			ids[c.ID] = true
		}
		assert.Len(t, texts, n)
		assert.Len(t, ids, n)
		assert.Len(t, events(t, s, domain.KindCommentAdded), n)
	})

	t.Run("concurrent status changes are serialised", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sam", domain.RoleStaff)
		tk := addTicket(t, s, owner, "Contested", "ticket", domain.TypeRepair, at(0))
		const n = 10

		errs := runConcurrently(n, func(i int) error {
			return s.Tickets.Update(ctx(t), tk.ID(), func(tk *domain.Ticket) error {
				return tk.ChangeStatus(staff, domain.StatusInProgress, fmt.Sprint(i), at(i+1))
			})
		})

		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
				continue
			}
			assert.ErrorIs(t, err, domain.ErrInvalidTransition, "the later ones see the first one's status")
		}
		assert.Equal(t, 1, ok)
		assert.Len(t, get(t, s, tk.ID()).History(), 1)
		assert.Len(t, events(t, s, domain.KindTicketStatusChanged), 1)
	})

	t.Run("concurrent submissions all get their own id", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		const n = 20
		ids := make([]int64, n)

		errs := runConcurrently(n, func(i int) error {
			tk, err := domain.NewTicket(owner, fmt.Sprintf("ticket %d", i), "text", "service", at(i))
			if err != nil {
				return err
			}
			err = s.Tickets.Add(ctx(t), tk)
			ids[i] = tk.ID()
			return err
		})

		for _, err := range errs {
			require.NoError(t, err)
		}
		unique := map[int64]bool{}
		for _, id := range ids {
			unique[id] = true
		}
		assert.Len(t, unique, n)
		page, err := s.Tickets.Search(ctx(t), application.TicketFilter{Page: application.Page{Limit: n}})
		require.NoError(t, err)
		assert.Equal(t, n, page.Total)
		submitted := map[int64]bool{}
		for _, e := range events(t, s, domain.KindTicketSubmitted) {
			submitted[e.Event.(domain.TicketSubmitted).TicketID] = true
		}
		assert.Equal(t, unique, submitted, "each TicketSubmitted carries its ticket's id")
	})
}
