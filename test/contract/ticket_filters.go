package contract

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// ticketFilters is the contract of application.Tickets.Search's filters,
// counts and pages.
func ticketFilters(t *testing.T, newStore Factory) {
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

		t.Run("results are tickets as a list shows them: no text, history or comments", func(t *testing.T) {
			page, err := s.Tickets.Search(ctx(t), application.TicketFilter{AssigneeID: sue.ID()})
			require.NoError(t, err)
			require.Len(t, page.Tickets, 1)
			got := page.Tickets[0]
			assert.Equal(t, t3.ID(), got.ID())
			assert.Equal(t, "Tariffs", got.Title())
			assert.Empty(t, got.Text(), "a listed ticket carries no text")
			assert.Equal(t, "Which plan is 50% off?", get(t, s, t3.ID()).Text(), "the whole ticket does")
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

		t.Run("a brief page has the same tickets, with what a person's list shows", func(t *testing.T) {
			full, err := s.Tickets.Search(ctx(t), application.TicketFilter{OwnerID: alice.ID()})
			require.NoError(t, err)
			brief, err := s.Tickets.Search(ctx(t), application.TicketFilter{OwnerID: alice.ID(), Brief: true})
			require.NoError(t, err)
			assert.Equal(t, ticketIDs(full.Tickets), ticketIDs(brief.Tickets))
			assert.Equal(t, full.Total, brief.Total)
			assert.Equal(t, full.Next, brief.Next)
			assert.Equal(t, nonZero(full.ByStatus), nonZero(brief.ByStatus))
			for i, got := range brief.Tickets {
				want := full.Tickets[i]
				// What TicketFilter.Brief promises; the rest may be zero.
				assert.Equal(t, want.OwnerID(), got.OwnerID())
				assert.Equal(t, want.Title(), got.Title())
				assert.Equal(t, want.Type(), got.Type())
				assert.Equal(t, want.Status(), got.Status())
				assertTime(t, want.UpdatedAt(), got.UpdatedAt())
			}
			got := brief.Tickets[1] // t2, in progress: its last change is at(6)
			assert.Equal(t, t2.ID(), got.ID())
			assert.Equal(t, domain.StatusInProgress, got.Status())
			assertTime(t, at(6), got.UpdatedAt())
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
}
