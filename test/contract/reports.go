package contract

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// reportDay0 is the first day of the hand-made report data set.
var reportDay0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// onDay is hh:mm:ss on day n of the report data set (n may be negative).
func onDay(n int, hh, mm, ss int) time.Time {
	return reportDay0.AddDate(0, 0, n).Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second)
}

// reportDataSet stores, by hand, tickets whose figures for days 0 to 2
// are known (see the comments), and returns the staff bob and carol.
func reportDataSet(t *testing.T, s Store) (bob, carol *domain.User) {
	t.Helper()
	alice := addUser(t, s, "alice", domain.RoleUser)
	bob = addUser(t, s, "bob", domain.RoleStaff)
	carol = addUser(t, s, "carol", domain.RoleStaff)
	close := func(by *domain.User, at time.Time) func(*domain.Ticket) error {
		return func(tk *domain.Ticket) error { return tk.ChangeStatus(by, domain.StatusClosed, "", at) }
	}
	assign := func(to *domain.User, at time.Time) func(*domain.Ticket) error {
		return func(tk *domain.Ticket) error { return tk.Assign(to, to, at) }
	}
	rate := func(stars int, at time.Time) func(*domain.Ticket) error {
		return func(tk *domain.Ticket) error { return tk.Rate(alice, stars, at) }
	}
	// t1: repair, opened day 0, bob's, closed day 1, rated 4 on day 1.
	t1 := addTicket(t, s, alice, "t1", "text", domain.TypeRepair, onDay(0, 9, 0, 0))
	update(t, s, t1.ID(), assign(bob, onDay(0, 10, 0, 0)))
	update(t, s, t1.ID(), close(bob, onDay(1, 12, 0, 0)))
	update(t, s, t1.ID(), rate(4, onDay(1, 13, 0, 0)))
	// t2: repair, opened in the last second of day 0, nobody's, closed by
	// its owner in the first second of day 2, rated 2 on day 2.
	t2 := addTicket(t, s, alice, "t2", "text", domain.TypeRepair, onDay(0, 23, 59, 59))
	update(t, s, t2.ID(), close(alice, onDay(2, 0, 0, 1)))
	update(t, s, t2.ID(), rate(2, onDay(2, 1, 0, 0)))
	// t3: consultation, opened day 1, carol's, closed day 1, reopened by
	// its owner's reply, closed again day 2: two closings.
	t3 := addTicket(t, s, alice, "t3", "text", domain.TypeConsultation, onDay(1, 8, 0, 0))
	update(t, s, t3.ID(), assign(carol, onDay(1, 8, 30, 0)))
	update(t, s, t3.ID(), close(carol, onDay(1, 9, 0, 0)))
	update(t, s, t3.ID(), func(tk *domain.Ticket) error { return tk.AddComment(alice, "again", false, onDay(1, 10, 0, 0)) })
	update(t, s, t3.ID(), close(carol, onDay(2, 11, 0, 0)))
	// t4: service, opened the day before the period, bob's, closed day 0.
	t4 := addTicket(t, s, alice, "t4", "text", domain.TypeService, onDay(-1, 23, 0, 0))
	update(t, s, t4.ID(), assign(bob, onDay(-1, 23, 30, 0)))
	update(t, s, t4.ID(), close(bob, onDay(0, 1, 0, 0)))
	// t5: service, opened the day after the period: not counted.
	addTicket(t, s, alice, "t5", "text", domain.TypeService, onDay(3, 0, 0, 0))
	// t6: consultation, opened day 0, bob's, closed and rated 5 on day 0,
	// reopened by its owner's reply on day 1: the rating is gone.
	t6 := addTicket(t, s, alice, "t6", "text", domain.TypeConsultation, onDay(0, 11, 0, 0))
	update(t, s, t6.ID(), assign(bob, onDay(0, 11, 30, 0)))
	update(t, s, t6.ID(), close(bob, onDay(0, 12, 0, 0)))
	update(t, s, t6.ID(), rate(5, onDay(0, 13, 0, 0)))
	update(t, s, t6.ID(), func(tk *domain.Ticket) error { return tk.AddComment(alice, "no", false, onDay(1, 14, 0, 0)) })
	// t7: repair with the default targets (4 h, 3 days), opened day 2,
	// nobody's: bob answers after 5 h (missed), closes after 6 h (met).
	t7 := withTargets(t, alice, "t7", domain.TypeRepair, onDay(2, 8, 0, 0))
	require.NoError(t, s.Tickets.Add(ctx(t), t7))
	update(t, s, t7.ID(), func(tk *domain.Ticket) error { return tk.AddComment(bob, "on it", false, onDay(2, 13, 0, 0)) })
	update(t, s, t7.ID(), close(bob, onDay(2, 14, 0, 0)))
	// t8: service with the default targets, opened day 1, carol's, who
	// answers after an hour (met); still open.
	t8 := withTargets(t, alice, "t8", domain.TypeService, onDay(1, 10, 0, 0))
	require.NoError(t, s.Tickets.Add(ctx(t), t8))
	update(t, s, t8.ID(), assign(carol, onDay(1, 10, 30, 0)))
	update(t, s, t8.ID(), func(tk *domain.Ticket) error { return tk.AddComment(carol, "done?", false, onDay(1, 11, 0, 0)) })
	return bob, carol
}

// withTargets is a new ticket of owner under its type's default targets.
func withTargets(t *testing.T, owner *domain.User, title string, typ domain.TicketType, now time.Time) *domain.Ticket {
	t.Helper()
	tk, err := domain.NewTicket(owner, title, "text", typ.String(), now)
	require.NoError(t, err)
	tk.StartTargets(domain.DefaultSLAPolicy(typ))
	return tk
}

// bucketsOf counts seconds per application.DurationBucket, sorted.
func bucketsOf(seconds ...int64) []application.DurationCount {
	n := map[int]int{}
	for _, s := range seconds {
		n[application.DurationBucket(s)]++
	}
	var out []application.DurationCount
	for b, c := range n {
		out = append(out, application.DurationCount{Bucket: b, N: c})
	}
	return sortedCounts(out)
}

func sortedCounts(cs []application.DurationCount) []application.DurationCount {
	cs = slices.Clone(cs)
	slices.SortFunc(cs, func(a, b application.DurationCount) int { return a.Bucket - b.Bucket })
	return cs
}

// sortedGroups returns gs in a fixed order, for comparing.
func sortedGroups(gs []application.ReportGroup) []application.ReportGroup {
	gs = slices.Clone(gs)
	slices.SortFunc(gs, func(a, b application.ReportGroup) int {
		if c := strings.Compare(a.Type.String(), b.Type.String()); c != 0 {
			return c
		}
		return int(a.AssigneeID - b.AssigneeID)
	})
	return gs
}

// Reports is the contract of application.Reports: the figures of a period
// of UTC days, kept as the tickets change.
func Reports(t *testing.T, newStore Factory) {
	t.Run("figures of a hand-made data set, per day and per type and assignee", func(t *testing.T) {
		s := newStore(t)
		bob, carol := reportDataSet(t, s)

		f, err := s.Reports.ReportFigures(ctx(t), onDay(0, 0, 0, 0), onDay(2, 0, 0, 0))

		require.NoError(t, err)
		assert.Equal(t, []application.ReportDay{
			{Day: onDay(0, 0, 0, 0), Opened: 3, Closed: 2}, // t1, t2, t6 opened; t4, t6 closed
			{Day: onDay(1, 0, 0, 0), Opened: 2, Closed: 2}, // t3, t8 opened; t1, t3 closed
			{Day: onDay(2, 0, 0, 0), Opened: 1, Closed: 3}, // t7 opened; t2, t3, t7 closed
		}, f.Days)
		const hour = 3600
		assert.Equal(t, sortedGroups([]application.ReportGroup{
			{Type: domain.TypeConsultation, Opened: 2},
			// t6: answered by closing after an hour; its resolution went with the reopening
			{Type: domain.TypeConsultation, AssigneeID: bob.ID(), AssigneeName: "bob", Closed: 1,
				Responses: 1, ResponseSeconds: hour},
			// t3: answered by closing after an hour, resolved by the second closing after 27 h
			{Type: domain.TypeConsultation, AssigneeID: carol.ID(), AssigneeName: "carol", Closed: 2,
				Responses: 1, ResponseSeconds: hour, Resolutions: 1, ResolutionSeconds: 27 * hour},
			// t2 closed by its owner after a day and 2 s (no response), t7 answered late and closed in time
			{Type: domain.TypeRepair, Opened: 3, Closed: 2, RatingSum: 2, RatingCount: 1,
				Responses: 1, ResponseSeconds: 5 * hour, ResponsesJudged: 1, ResponsesMet: 0,
				Resolutions: 2, ResolutionSeconds: 24*hour + 2 + 6*hour, ResolutionsJudged: 1, ResolutionsMet: 1},
			// t1: answered and resolved by closing after 27 h
			{Type: domain.TypeRepair, AssigneeID: bob.ID(), AssigneeName: "bob", Closed: 1, RatingSum: 4, RatingCount: 1,
				Responses: 1, ResponseSeconds: 27 * hour, Resolutions: 1, ResolutionSeconds: 27 * hour},
			{Type: domain.TypeService, Opened: 1},
			// t4: answered and resolved by closing after 2 h
			{Type: domain.TypeService, AssigneeID: bob.ID(), AssigneeName: "bob", Closed: 1,
				Responses: 1, ResponseSeconds: 2 * hour, Resolutions: 1, ResolutionSeconds: 2 * hour},
			// t8: answered in time after an hour
			{Type: domain.TypeService, AssigneeID: carol.ID(), AssigneeName: "carol",
				Responses: 1, ResponseSeconds: hour, ResponsesJudged: 1, ResponsesMet: 1},
		}), sortedGroups(f.Groups))
		assert.Equal(t, bucketsOf(hour, hour, 5*hour, 27*hour, 2*hour, hour), sortedCounts(f.ResponseTimes))
		assert.Equal(t, bucketsOf(27*hour, 24*hour+2, 6*hour, 27*hour, 2*hour), sortedCounts(f.ResolutionTimes))
	})

	t.Run("a period of one day counts that day only, to the second", func(t *testing.T) {
		s := newStore(t)
		reportDataSet(t, s)

		f, err := s.Reports.ReportFigures(ctx(t), onDay(2, 0, 0, 0), onDay(2, 0, 0, 0))

		require.NoError(t, err)
		assert.Equal(t, []application.ReportDay{{Day: onDay(2, 0, 0, 0), Opened: 1, Closed: 3}}, f.Days)
		var opened, closed, ratings, responses int
		for _, g := range f.Groups {
			opened += g.Opened
			closed += g.Closed
			ratings += g.RatingCount
			responses += g.Responses
		}
		assert.Equal(t, 1, opened, "t7")
		assert.Equal(t, 3, closed)
		assert.Equal(t, 1, ratings, "t2's rating")
		assert.Equal(t, 1, responses, "t7's")
	})

	t.Run("a period without tickets is empty", func(t *testing.T) {
		s := newStore(t)
		reportDataSet(t, s)

		f, err := s.Reports.ReportFigures(ctx(t), onDay(10, 0, 0, 0), onDay(40, 0, 0, 0))

		require.NoError(t, err)
		assert.Empty(t, f.Days)
		assert.Empty(t, f.Groups)
	})

	t.Run("a changed rating moves from its old day to its new one", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleUser)
		tk := addTicket(t, s, alice, "t", "text", domain.TypeService, onDay(0, 9, 0, 0))
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			return tk.ChangeStatus(alice, domain.StatusClosed, "", onDay(0, 10, 0, 0))
		})
		update(t, s, tk.ID(), func(tk *domain.Ticket) error { return tk.Rate(alice, 1, onDay(0, 11, 0, 0)) })
		update(t, s, tk.ID(), func(tk *domain.Ticket) error { return tk.Rate(alice, 5, onDay(1, 11, 0, 0)) })

		day0, err := s.Reports.ReportFigures(ctx(t), onDay(0, 0, 0, 0), onDay(0, 0, 0, 0))
		require.NoError(t, err)
		day1, err := s.Reports.ReportFigures(ctx(t), onDay(1, 0, 0, 0), onDay(1, 0, 0, 0))
		require.NoError(t, err)

		for _, g := range day0.Groups {
			assert.Zero(t, g.RatingCount, "the first rating was replaced")
		}
		require.Len(t, day1.Groups, 1)
		assert.Equal(t, 5, day1.Groups[0].RatingSum)
		assert.Equal(t, 1, day1.Groups[0].RatingCount)
		assert.Empty(t, day1.ResolutionTimes, "resolved on day 0")
		assert.Len(t, day0.ResolutionTimes, 1)
	})
}
