package contract

import (
	"fmt"
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

	t.Run("Search filters alone and combined", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleUser)
		bob := addUser(t, s, "Bob", domain.RoleUser)
		sam := addUser(t, s, "sam", domain.RoleStaff)
		sue := addUser(t, s, "sue", domain.RoleStaff)
		t1 := addTicket(t, s, alice, "Пропал звук", "Ноутбук молчит", domain.TypeRepair, at(1))
		t2 := addTicket(t, s, alice, "Printer jams", "Paper stuck, see video", domain.TypeRepair, at(2))
		t3 := addTicket(t, s, bob, "Tariffs", "Which plan is 50% off?", domain.TypeConsultation, at(3))
		t4 := addTicket(t, s, bob, "Install router", "Need a service_visit", domain.TypeService, at(4))
		t5 := addTicket(t, s, alice, "Discount", "100 percent, fine print", domain.TypeConsultation, at(5))
		update(t, s, t2.ID(), func(tk *domain.Ticket) error {
			if err := tk.Assign(sam, sam, at(6)); err != nil {
				return err
			}
			return tk.ChangeStatus(sam, domain.StatusInProgress, "", at(6))
		})
		update(t, s, t3.ID(), func(tk *domain.Ticket) error {
			if err := tk.Assign(sue, sue, at(7)); err != nil {
				return err
			}
			return tk.ChangeStatus(sue, domain.StatusClosed, "", at(7))
		})
		update(t, s, t4.ID(), func(tk *domain.Ticket) error { return tk.Assign(sam, sam, at(8)) })
		type counts = map[domain.Status]int
		open, inProgress, closed := domain.StatusOpen, domain.StatusInProgress, domain.StatusClosed

		for _, tc := range []struct {
			name     string
			filter   application.TicketFilter
			want     []*domain.Ticket
			byStatus counts // nil: not checked
		}{
			{"everything", application.TicketFilter{}, []*domain.Ticket{t5, t4, t3, t2, t1},
				counts{open: 3, inProgress: 1, closed: 1}},
			{"owner", application.TicketFilter{OwnerID: alice.ID()}, []*domain.Ticket{t5, t2, t1},
				counts{open: 2, inProgress: 1}},
			{"status", application.TicketFilter{Status: open}, []*domain.Ticket{t5, t4, t1},
				counts{open: 3, inProgress: 1, closed: 1}},
			{"type", application.TicketFilter{Type: domain.TypeRepair}, []*domain.Ticket{t2, t1},
				counts{open: 1, inProgress: 1}},
			{"assignee", application.TicketFilter{AssigneeID: sam.ID()}, []*domain.Ticket{t4, t2},
				counts{open: 1, inProgress: 1}},
			{"unassigned", application.TicketFilter{AssigneeID: application.Unassigned}, []*domain.Ticket{t5, t1},
				counts{open: 2}},
			{"query in the title, cyrillic lower case", application.TicketFilter{Query: "пропал"}, []*domain.Ticket{t1}, nil},
			{"query in the title, cyrillic upper case", application.TicketFilter{Query: "ПРОПАЛ ЗВУК"}, []*domain.Ticket{t1}, nil},
			{"query in the text", application.TicketFilter{Query: "НОУТБУК"}, []*domain.Ticket{t1}, nil},
			{"query in latin, any case", application.TicketFilter{Query: "pRINTER"}, []*domain.Ticket{t2}, nil},
			{"query on the owner's name", application.TicketFilter{Query: "bob"}, []*domain.Ticket{t4, t3}, nil},
			{"a word's beginning matches", application.TicketFilter{Query: "ноут"}, []*domain.Ticket{t1}, nil},
			{"the middle of a word does not", application.TicketFilter{Query: "утбук"}, nil, counts{}},
			{"every word must match", application.TicketFilter{Query: "printer router"}, nil, counts{}},
			{"punctuation in the query is no wildcard", application.TicketFilter{Query: "50%"}, []*domain.Ticket{t3}, nil},
			{"underscore separates words", application.TicketFilter{Query: "service_vis"}, []*domain.Ticket{t4}, nil},
			{"a query of punctuation alone selects everything", application.TicketFilter{Query: "%_"}, []*domain.Ticket{t5, t4, t3, t2, t1}, nil},
			{"a query that matches nothing", application.TicketFilter{Query: "xyzzy"}, nil, counts{}},
			{"a blank query selects everything", application.TicketFilter{Query: "  "}, []*domain.Ticket{t5, t4, t3, t2, t1}, nil},
			{"owner and status", application.TicketFilter{OwnerID: alice.ID(), Status: open}, []*domain.Ticket{t5, t1},
				counts{open: 2, inProgress: 1}},
			{"type and assignee", application.TicketFilter{Type: domain.TypeConsultation, AssigneeID: sue.ID()},
				[]*domain.Ticket{t3}, counts{closed: 1}},
			{"status and query", application.TicketFilter{Status: open, Query: "Router"}, []*domain.Ticket{t4},
				counts{open: 1}},
			{"owner and unassigned", application.TicketFilter{OwnerID: bob.ID(), AssigneeID: application.Unassigned}, nil,
				counts{}},
			{"status with no tickets", application.TicketFilter{Status: closed, OwnerID: alice.ID()}, nil,
				counts{open: 2, inProgress: 1}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				page, err := s.Tickets.Search(ctx(t), tc.filter)
				require.NoError(t, err)
				assert.Equal(t, ticketIDs(tc.want), ticketIDs(page.Tickets))
				assert.Equal(t, len(tc.want), page.Total)
				assert.Zero(t, page.Next)
				if tc.byStatus != nil {
					assert.Equal(t, tc.byStatus, nonZero(page.ByStatus))
				}
			})
		}

		t.Run("results are whole tickets without history and comments", func(t *testing.T) {
			page, err := s.Tickets.Search(ctx(t), application.TicketFilter{AssigneeID: sue.ID()})
			require.NoError(t, err)
			require.Len(t, page.Tickets, 1)
			got := page.Tickets[0]
			assert.Equal(t, "Tariffs", got.Title())
			assert.Equal(t, "Which plan is 50% off?", got.Text())
			assert.Equal(t, "Bob", got.OwnerName())
			assert.Equal(t, bob.ID(), got.OwnerID())
			assert.Equal(t, domain.TypeConsultation, got.Type())
			assert.Equal(t, domain.StatusClosed, got.Status())
			assert.Equal(t, "sue", got.AssigneeName())
			assertTime(t, at(3), got.CreatedAt())
			assertTime(t, at(7), got.UpdatedAt())
			assert.Empty(t, got.History())
			assert.Empty(t, got.Comments())
		})
	})

	t.Run("pages visit every ticket once while new ones arrive", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		other := addUser(t, s, "bob", domain.RoleUser)
		var want []int64
		for i := range 45 {
			tk := addTicket(t, s, owner, fmt.Sprintf("ticket %d", i), "text", domain.TypeService, at(i))
			want = append([]int64{tk.ID()}, want...)
			if i%10 == 0 {
				addTicket(t, s, other, "someone else's", "text", domain.TypeService, at(i)) // filtered out
			}
		}

		var seen []int64
		f := application.TicketFilter{OwnerID: owner.ID(), Page: application.Page{Limit: 10}}
		pages := 0
		for {
			page, err := s.Tickets.Search(ctx(t), f)
			require.NoError(t, err)
			pages++
			require.LessOrEqual(t, pages, 5, "too many pages")
			assert.LessOrEqual(t, len(page.Tickets), 10)
			seen = append(seen, ticketIDs(page.Tickets)...)
			if pages == 1 {
				assert.Equal(t, 45, page.Total)
				// New tickets arrive between pages; they must not shift the next ones.
				for i := range 3 {
					addTicket(t, s, owner, fmt.Sprintf("late %d", i), "text", domain.TypeService, at(100+i))
				}
			} else {
				assert.Equal(t, 48, page.Total)
			}
			if page.Next == 0 {
				break
			}
			f.Page.Before = page.Next
		}
		assert.Equal(t, 5, pages)
		assert.Equal(t, want, seen, "each ticket exactly once, newest first")
		assert.True(t, descending(seen))
	})

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
