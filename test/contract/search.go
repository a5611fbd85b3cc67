package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// Search is the contract of application.Tickets.Search beyond the filters
// the Tickets suite checks: how words are matched, that the index follows
// every change, and that the counts per status stay right after every kind
// of change, concurrent ones included.
func Search(t *testing.T, newStore Factory) {
	t.Run("words match in any case, by their beginning, in the title, text and owner's name", func(t *testing.T) {
		s := newStore(t)
		marina := addUser(t, s, "Марина_К", domain.RoleUser)
		bob := addUser(t, s, "bob", domain.RoleUser)
		oven := addTicket(t, s, marina, "Микроволновка не греет", "Искрит внутри, пахнет гарью", domain.TypeRepair, at(1))
		printer := addTicket(t, s, bob, "Printer jams", "Микро-трещина на лотке", domain.TypeRepair, at(2))
		tv := addTicket(t, s, bob, "Телевизор", "Нет звука после грозы", domain.TypeService, at(3))

		for _, tc := range []struct {
			query string
			want  []*domain.Ticket
		}{
			{"микроволновка", []*domain.Ticket{oven}},
			{"МИКРОВОЛНОВКА", []*domain.Ticket{oven}},
			{"мИкРоВоЛнОвКа", []*domain.Ticket{oven}},
			{"Искрит", []*domain.Ticket{oven}},
			{"микро", []*domain.Ticket{printer, oven}},          // a prefix; "Микро-трещина" is a word of its own
			{"МИКРОВ", []*domain.Ticket{oven}},                  // a longer prefix
			{"волновка", nil},                                   // the middle of a word
			{"микроволновкаа", nil},                             // longer than the word
			{"марина", []*domain.Ticket{oven}},                  // the owner's username
			{"МАРИН", []*domain.Ticket{oven}},                   // its prefix, any case
			{"к", []*domain.Ticket{oven}},                       // "Марина_К": "_" separates words
			{"BOB", []*domain.Ticket{tv, printer}},              // every ticket of the owner
			{"bob printer", []*domain.Ticket{printer}},          // a term in the owner's name and one in the title
			{"микро искрит", []*domain.Ticket{oven}},            // several terms: all must match
			{"искрит микро", []*domain.Ticket{oven}},            // in any order
			{"искрит микро марина", []*domain.Ticket{oven}},     // title, text and owner at once
			{"микро printer", []*domain.Ticket{printer}},        // both in one ticket
			{"микро телевизор", nil},                            // each in another ticket
			{"искрит звука", nil},                               // each in another ticket
			{"звук", []*domain.Ticket{tv}},                      // "звука" starts with it
			{"грозы, звука!", []*domain.Ticket{tv}},             // punctuation separates terms
			{"Printer JAMS printer", []*domain.Ticket{printer}}, // a repeated term
		} {
			t.Run(tc.query, func(t *testing.T) {
				page, err := s.Tickets.Search(ctx(t), application.TicketFilter{Query: tc.query})
				require.NoError(t, err)
				assert.Equal(t, ticketIDs(tc.want), ticketIDs(page.Tickets))
				assert.Equal(t, len(tc.want), page.Total)
				assert.False(t, page.CountCapped)
			})
		}
	})

	t.Run("long terms, and words sharing their first letters, match by the whole term", func(t *testing.T) {
		// PostgreSQL keeps the first 8 letters of each word in its word
		// index (migration 0022), and SQLite looks a longer term up by its
		// first 8, a prefix its full-text index keeps as a term: a longer
		// term must still match only the words that start with all of it.
		s := newStore(t)
		owner := addUser(t, s, "owner", domain.RoleUser)
		stab := addTicket(t, s, owner, "Термостабилизатор", "Сломан", domain.TypeRepair, at(1))
		stat := addTicket(t, s, owner, "Термостат", "Не держит", domain.TypeRepair, at(2))
		meter := addTicket(t, s, owner, "Термометр", "Врёт", domain.TypeRepair, at(3))
		for _, tc := range []struct {
			query string
			want  []*domain.Ticket
		}{
			{"термостат", []*domain.Ticket{stat}},          // 9 letters; "термостабилизатор" shares 8
			{"термостаб", []*domain.Ticket{stab}},          // and the other way round
			{"ТЕРМОСТАБИЛИЗАТОР", []*domain.Ticket{stab}},  // a whole long word
			{"термостатт", nil},                            // longer than the word
			{"термоста", []*domain.Ticket{stat, stab}},     // exactly 8 letters: both
			{"термос", []*domain.Ticket{stat, stab}},       // the beginning of one key
			{"термо", []*domain.Ticket{meter, stat, stab}}, // the beginning of several
			{"щщщ", nil}, // the beginning of no word
			{"термостат держит", []*domain.Ticket{stat}},          // a long term and another
			{"термостабилизатор держит", nil},                     // each in another ticket
			{"owner термостаб", []*domain.Ticket{stab}},           // the owner's name and a long term
			{"термометрия", nil},                                  // longer than the word, past its 8 letters
			{"термометр врёт термометр", []*domain.Ticket{meter}}, // a repeated long term
		} {
			t.Run(tc.query, func(t *testing.T) {
				page, err := s.Tickets.Search(ctx(t), application.TicketFilter{Query: tc.query})
				require.NoError(t, err)
				assert.Equal(t, ticketIDs(tc.want), ticketIDs(page.Tickets))
				assert.Equal(t, len(tc.want), page.Total)
			})
		}
	})

	t.Run("a search with more matches than a page and than the count's cap pages newest first", func(t *testing.T) {
		// The first page of a search over every status is read from the
		// matches its counts read: it must be the newest matches, in
		// order, and hand on to the next page like any other.
		s := newStore(t)
		owner := addUser(t, s, "owner", domain.RoleUser)
		staff := addUser(t, s, "staff", domain.RoleStaff)
		var matching []int64 // newest first
		n := application.SearchCountCap + 25
		for i := range n {
			tk := addTicket(t, s, owner, "Принтер мнёт бумагу", "Каждый лист", domain.TypeRepair, at(2*i))
			matching = append([]int64{tk.ID()}, matching...)
			addTicket(t, s, owner, "Телевизор", "Нет звука", domain.TypeService, at(2*i+1)) // between them
			if i%3 == 0 {
				update(t, s, tk.ID(), func(tk *domain.Ticket) error {
					return tk.ChangeStatus(staff, domain.StatusInProgress, "", at(2*i))
				})
			}
		}
		const limit = 50
		page, err := s.Tickets.Search(ctx(t), application.TicketFilter{Query: "принт", Page: application.Page{Limit: limit}})
		require.NoError(t, err)
		assert.Equal(t, matching[:limit], ticketIDs(page.Tickets))
		assert.Equal(t, matching[limit-1], page.Next)
		sum := 0
		for st, c := range page.ByStatus {
			assert.Contains(t, []domain.Status{domain.StatusOpen, domain.StatusInProgress}, st)
			sum += c
		}
		if page.CountCapped { // the SQL stores count up to the cap
			assert.Equal(t, application.SearchCountCap, page.Total)
			assert.GreaterOrEqual(t, sum, application.SearchCountCap)
		} else {
			assert.Equal(t, n, page.Total)
			assert.Equal(t, map[domain.Status]int{domain.StatusOpen: n - (n+2)/3, domain.StatusInProgress: (n + 2) / 3}, page.ByStatus)
		}

		next, err := s.Tickets.Search(ctx(t), application.TicketFilter{
			Query: "принт", Page: application.Page{Limit: limit, Before: page.Next},
		})
		require.NoError(t, err)
		assert.Equal(t, matching[limit:2*limit], ticketIDs(next.Tickets))
	})

	t.Run("a search with more matches than a page counts every match, on every page", func(t *testing.T) {
		// PostgreSQL counts the first page's tickets as it reads them and
		// reads on from its last: the counts must not depend on the page.
		s := newStore(t)
		owner := addUser(t, s, "owner", domain.RoleUser)
		staff := addUser(t, s, "staff", domain.RoleStaff)
		const n = 30
		want := map[domain.Status]int{}
		for i := range n {
			tk := addTicket(t, s, owner, "Принтер мнёт бумагу", "Каждый лист", domain.TypeRepair, at(2*i))
			addTicket(t, s, owner, "Телевизор", "Нет звука", domain.TypeService, at(2*i+1))
			st := []domain.Status{domain.StatusOpen, domain.StatusInProgress, domain.StatusClosed}[i%3]
			if i%4 == 0 {
				st = domain.StatusOpen
			}
			if st != domain.StatusOpen {
				update(t, s, tk.ID(), func(tk *domain.Ticket) error { return tk.ChangeStatus(staff, st, "", at(2*i)) })
			}
			want[st]++
		}
		var before int64
		for _, f := range []application.TicketFilter{
			{Query: "принтер", Page: application.Page{Limit: 7}},
			{Query: "принт", Page: application.Page{Limit: 7}},
			{Query: "принтер", Page: application.Page{Limit: 7}, Status: domain.StatusClosed},
			{Query: "принтер", Page: application.Page{Limit: 7, Before: -1}}, // the second page
		} {
			if f.Page.Before == -1 {
				f.Page.Before = before
			}
			page, err := s.Tickets.Search(ctx(t), f)
			require.NoError(t, err)
			assert.Equal(t, want, nonZero(page.ByStatus), "%+v", f)
			assert.False(t, page.CountCapped)
			if f.Status.IsZero() {
				assert.Equal(t, n, page.Total)
				assert.Len(t, page.Tickets, 7)
				before = page.Next
			} else {
				assert.Equal(t, want[f.Status], page.Total)
			}
		}
	})

	t.Run("what changes on a ticket is not searched, and what it had stays found", func(t *testing.T) {
		// A ticket's title, text and owner never change (the domain has no
		// way to): what an update adds — comments, notes, the history's
		// comments, the assignee — is not searched, and the ticket stays
		// found by its own words through every change.
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "Семён", domain.RoleStaff)
		tk := addTicket(t, s, alice, "Холодильник", "Не морозит", domain.TypeRepair, at(1))
		found := func(t *testing.T, query string) []int64 {
			t.Helper()
			page, err := s.Tickets.Search(ctx(t), application.TicketFilter{Query: query})
			require.NoError(t, err)
			return ticketIDs(page.Tickets)
		}

		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			if err := tk.Assign(staff, staff, at(2)); err != nil {
				return err
			}
			if err := tk.ChangeStatus(staff, domain.StatusInProgress, "заказали компрессор", at(3)); err != nil {
				return err
			}
			if err := tk.AddComment(staff, "термостат заменён", true, at(4)); err != nil {
				return err
			}
			return tk.AddComment(alice, "спасибо, ждём", false, at(5))
		})
		err := s.Tickets.Update(ctx(t), tk.ID(), func(tk *domain.Ticket) error {
			require.NoError(t, tk.AddComment(staff, "морозилка", false, at(6)))
			return errBoom
		})
		require.ErrorIs(t, err, errBoom)

		want := []int64{tk.ID()}
		assert.Equal(t, want, found(t, "холодильник"), "the title after updates")
		assert.Equal(t, want, found(t, "МОРОЗИТ"), "the text after updates")
		assert.Equal(t, want, found(t, "alice"), "the owner after updates")
		assert.Empty(t, found(t, "термостат"), "an internal note")
		assert.Empty(t, found(t, "спасибо"), "a comment")
		assert.Empty(t, found(t, "компрессор"), "a status change's comment")
		assert.Empty(t, found(t, "семён"), "the assignee's name")
		assert.Equal(t, want, found(t, "мороз"), "a prefix of the text")
		page, err := s.Tickets.Search(ctx(t), application.TicketFilter{Query: "морозилка"})
		require.NoError(t, err)
		assert.Empty(t, page.Tickets, "a rolled-back comment")

		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			return tk.ChangeStatus(staff, domain.StatusClosed, "", at(7))
		})
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			return tk.ChangeStatus(staff, domain.StatusOpen, "", at(8))
		})
		assert.Equal(t, want, found(t, "холод морозит"), "after closing and reopening")
		page, err = s.Tickets.Search(ctx(t), application.TicketFilter{Query: "холод", Status: domain.StatusOpen})
		require.NoError(t, err)
		assert.Equal(t, want, ticketIDs(page.Tickets), "by its new status")
		page, err = s.Tickets.Search(ctx(t), application.TicketFilter{Query: "холод", Status: domain.StatusInProgress})
		require.NoError(t, err)
		assert.Empty(t, page.Tickets, "not by its old status")
		assert.Equal(t, map[domain.Status]int{domain.StatusOpen: 1}, nonZero(page.ByStatus))
	})

	searchCounts(t, newStore)
}
