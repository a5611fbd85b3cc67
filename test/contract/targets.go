package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// Targets is the contract of the response targets as application.Tickets
// keeps them with a ticket, and of application.SLAPolicies.
func Targets(t *testing.T, newStore Factory) {
	t.Run("due times, the response, the pause and the resolution are stored", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sam", domain.RoleStaff)
		tk, err := domain.NewTicket(owner, "Printer", "jams", "repair", atMoscow(0))
		require.NoError(t, err)
		tk.StartTargets(domain.DefaultSLAPolicy(domain.TypeRepair))
		require.NoError(t, s.Tickets.Add(ctx(t), tk))

		got := get(t, s, tk.ID()).Targets()
		assert.True(t, got.HasTargets)
		assert.True(t, got.Calendar.IsAllWeek())
		assertTime(t, at(4*60), got.ResponseDue)
		assertTime(t, at(72*60), got.ResolutionDue)
		assert.Nil(t, got.ResponseMet)
		assert.True(t, got.FirstResponseAt.IsZero())
		assertTime(t, at(4*60), get(t, s, tk.ID()).NextDue())

		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			if err := tk.AddComment(staff, "Which model?", false, at(10)); err != nil {
				return err
			}
			return tk.AskOwner(staff, at(10))
		})
		paused := get(t, s, tk.ID())
		assert.True(t, paused.WaitingForOwner())
		assertTime(t, at(10), paused.Targets().WaitingSince)
		require.NotNil(t, paused.Targets().ResponseMet)
		assert.True(t, *paused.Targets().ResponseMet)
		assertTime(t, at(10), paused.Targets().FirstResponseAt)

		update(t, s, tk.ID(), func(tk *domain.Ticket) error { return tk.AddComment(owner, "HP", false, at(70)) })
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			return tk.ChangeStatus(staff, domain.StatusClosed, "", at(100))
		})
		got = get(t, s, tk.ID()).Targets()
		assert.Equal(t, int64(60*60), got.PausedSeconds)
		assertTime(t, at(73*60), got.ResolutionDue, "pushed by the hour of waiting")
		assertTime(t, at(100), got.ResolvedAt)
		require.NotNil(t, got.ResolutionMet)
		assert.True(t, *got.ResolutionMet)

		page, err := s.Tickets.Search(ctx(t), application.TicketFilter{})
		require.NoError(t, err)
		require.Len(t, page.Tickets, 1)
		listed := page.Tickets[0].Targets()
		assertTime(t, at(73*60), listed.ResolutionDue, "a list has the targets too")
		require.NotNil(t, listed.ResolutionMet)
	})

	t.Run("a ticket filed without targets has none", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		tk := addTicket(t, s, owner, "Printer", "jams", domain.TypeRepair, at(0))
		got := get(t, s, tk.ID())
		assert.False(t, got.Targets().HasTargets)
		assert.True(t, got.NextDue().IsZero())
		assert.False(t, got.Overdue(at(1_000_000)))
	})

	t.Run("business hours are kept with the ticket", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		week, err := domain.ParseSchedule("mon 09:00-18:00\nfri 10:00-12:00")
		require.NoError(t, err)
		cal, err := domain.NewBusinessHours("Europe/Berlin", week)
		require.NoError(t, err)
		p, err := domain.NewSLAPolicy(domain.TypeService, time.Hour, 4*time.Hour, cal)
		require.NoError(t, err)
		tk, err := domain.NewTicket(owner, "Printer", "jams", "service", at(0))
		require.NoError(t, err)
		tk.StartTargets(p)
		require.NoError(t, s.Tickets.Add(ctx(t), tk))
		got := get(t, s, tk.ID()).Targets()
		assert.Equal(t, cal.String(), got.Calendar.String())
		assertTime(t, tk.Targets().ResolutionDue, got.ResolutionDue)
	})

	t.Run("a saved policy replaces the last one of its type", func(t *testing.T) {
		s := newStore(t)
		all, err := s.SLAPolicies.Policies(ctx(t))
		require.NoError(t, err)
		assert.Empty(t, all, "nothing stored: every type has the defaults")
		week, err := domain.ParseSchedule("mon 09:00-18:00\ntue 09:00-13:00\ntue 14:00-18:00")
		require.NoError(t, err)
		cal, err := domain.NewBusinessHours("Asia/Novosibirsk", week)
		require.NoError(t, err)
		first, err := domain.NewSLAPolicy(domain.TypeRepair, time.Hour, 2*time.Hour, domain.AllWeek)
		require.NoError(t, err)
		second, err := domain.NewSLAPolicy(domain.TypeRepair, 2*time.Hour, 24*time.Hour, cal)
		require.NoError(t, err)
		require.NoError(t, s.SLAPolicies.SavePolicy(ctx(t), first, at(0)))
		require.NoError(t, s.SLAPolicies.SavePolicy(ctx(t), second, at(1)))

		all, err = s.SLAPolicies.Policies(ctx(t))
		require.NoError(t, err)
		require.Len(t, all, 1)
		got := all[domain.TypeRepair]
		assert.Equal(t, 2*time.Hour, got.Response)
		assert.Equal(t, 24*time.Hour, got.Resolution)
		assert.Equal(t, cal.String(), got.Calendar.String())
	})

	t.Run("the queue sorts by due time and filters the overdue", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sam", domain.RoleStaff)
		file := func(title string, now time.Time) *domain.Ticket {
			tk, err := domain.NewTicket(owner, title, "text", "repair", now)
			require.NoError(t, err)
			tk.StartTargets(domain.DefaultSLAPolicy(domain.TypeRepair))
			require.NoError(t, s.Tickets.Add(ctx(t), tk))
			return tk
		}
		dueLater := file("due later", at(0))   // response due at(240)
		overdue := file("overdue", at(-300))   // response due at(-60)
		answered := file("answered", at(-400)) // resolution due at(-400+72h)
		plain := addTicket(t, s, owner, "no targets", "text", domain.TypeRepair, at(0))
		closed := file("closed", at(-500))
		paused := file("paused", at(-600))
		update(t, s, answered.ID(), func(tk *domain.Ticket) error { return tk.AddComment(staff, "hi", false, at(-390)) })
		update(t, s, closed.ID(), func(tk *domain.Ticket) error {
			return tk.ChangeStatus(staff, domain.StatusClosed, "", at(-10))
		})
		update(t, s, paused.ID(), func(tk *domain.Ticket) error { return tk.AskOwner(staff, at(-590)) })

		want := []int64{overdue.ID(), dueLater.ID(), answered.ID(), paused.ID(), closed.ID(), plain.ID()}
		page, err := s.Tickets.Search(ctx(t), application.TicketFilter{SortDue: true})
		require.NoError(t, err)
		assert.Equal(t, want, idsOf(page.Tickets), "soonest due first, then the rest newest first")
		assert.Equal(t, 6, page.Total)

		var walked []int64
		f := application.TicketFilter{SortDue: true, Page: application.Page{Limit: 2}}
		for range 10 {
			page, err := s.Tickets.Search(ctx(t), f)
			require.NoError(t, err)
			walked = append(walked, idsOf(page.Tickets)...)
			if page.Next == 0 {
				break
			}
			f.Page.Before = page.Next
		}
		assert.Equal(t, want, walked, "page by page, the same order")

		page, err = s.Tickets.Search(ctx(t), application.TicketFilter{SortDue: true, Query: "later"})
		require.NoError(t, err)
		assert.Equal(t, []int64{dueLater.ID()}, idsOf(page.Tickets), "the due order with a search")

		page, err = s.Tickets.Search(ctx(t), application.TicketFilter{OverdueAt: at(0)})
		require.NoError(t, err)
		assert.Equal(t, []int64{overdue.ID()}, idsOf(page.Tickets))
		assert.Equal(t, 1, page.Total)
		page, err = s.Tickets.Search(ctx(t), application.TicketFilter{OverdueAt: at(-60)})
		require.NoError(t, err)
		assert.Empty(t, page.Tickets, "exactly at the due time is not overdue")
		page, err = s.Tickets.Search(ctx(t), application.TicketFilter{OverdueAt: at(10_000), SortDue: true,
			Status: domain.StatusOpen})
		require.NoError(t, err)
		assert.Equal(t, []int64{overdue.ID(), dueLater.ID(), answered.ID()}, idsOf(page.Tickets),
			"neither closed nor paused tickets are ever overdue")
	})
}

// idsOf lists the ids of ts, in order.
func idsOf(ts []*domain.Ticket) []int64 {
	out := make([]int64, len(ts))
	for i, tk := range ts {
		out[i] = tk.ID()
	}
	return out
}
