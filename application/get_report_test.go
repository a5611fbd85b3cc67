package application_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestGetReportRefusesABadPeriodBeforeReadingAnything(t *testing.T) {
	e := newEnv(t)
	staff := e.user(t, "bob", domain.RoleStaff)
	for name, c := range map[string]struct {
		from, to    string
		field, code string
	}{
		"a start that is no date": {"2026-02-30", "2026-03-01", "from", domain.CodeInvalid},
		"an end that is no date":  {"2026-03-01", "soon", "to", domain.CodeInvalid},
		"an end before the start": {"2026-03-02", "2026-03-01", "to", application.CodeReportBeforeStart},
		"ten years":               {"2016-03-01", "2026-03-01", "to", application.CodeReportTooLong},
		"367 days":                {"2025-01-01", "2026-01-02", "to", application.CodeReportTooLong},
		"a year zero date":        {"", "0000-00-00", "to", domain.CodeInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.GetReport.Handle(e.ctx, application.GetReport{Actor: staff, From: c.from, To: c.to})

			verrs, ok := domain.AsValidation(err)
			require.True(t, ok, "a validation error: %v", err)
			require.Len(t, verrs, 1)
			assert.Equal(t, c.field, verrs[0].Field)
			assert.Equal(t, c.code, verrs[0].Code)
		})
	}
}

func TestGetReportPeriods(t *testing.T) {
	e := newEnv(t)
	staff := e.user(t, "bob", domain.RoleStaff)
	today := t0.Truncate(24 * time.Hour)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for name, c := range map[string]struct {
		from, to    string
		first, last time.Time
	}{
		"the default: the last 30 days, today included": {"", "", today.AddDate(0, 0, -29), today},
		"a start only: 30 days from it":                 {"2026-03-01", "", day("2026-03-01"), day("2026-03-30")},
		"an end only: 30 days up to it":                 {"", "2026-03-30", day("2026-03-01"), day("2026-03-30")},
		"one day":                                       {"2026-03-01", "2026-03-01", day("2026-03-01"), day("2026-03-01")},
		"366 days, a leap year":                         {"2024-01-01", "2024-12-31", day("2024-01-01"), day("2024-12-31")},
	} {
		t.Run(name, func(t *testing.T) {
			rep, err := e.GetReport.Handle(e.ctx, application.GetReport{Actor: staff, From: c.from, To: c.to})

			require.NoError(t, err)
			assert.Equal(t, c.first, rep.First)
			assert.Equal(t, c.last, rep.Last)
			require.Len(t, rep.Days, int(c.last.Sub(c.first)/(24*time.Hour))+1, "every day, empty ones too")
			assert.Equal(t, c.first, rep.Days[0].Day)
			assert.Equal(t, c.last, rep.Days[len(rep.Days)-1].Day)
		})
	}
}

func TestGetReportIsForStaff(t *testing.T) {
	e := newEnv(t)
	user := e.user(t, "alice", domain.RoleUser)

	_, err := e.GetReport.Handle(e.ctx, application.GetReport{Actor: user})

	assert.ErrorIs(t, err, domain.ErrForbidden)
}

func TestGetReportAddsUpTypesAssigneesAndRatings(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	bob := e.user(t, "bob", domain.RoleStaff)
	repair := e.ticketOfType(t, alice, "printer", "repair")
	e.ticketOfType(t, alice, "advice", "consultation")
	require.NoError(t, e.AssignTicket.Handle(e.ctx, application.AssignTicket{Actor: bob, TicketID: repair.ID(), AssigneeID: bob.ID()}))
	e.clock.Advance(time.Hour)
	require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: bob, TicketID: repair.ID(), Status: "closed"}))
	require.NoError(t, e.RateTicket.Handle(e.ctx, application.RateTicket{Actor: alice, TicketID: repair.ID(), Stars: 5}))

	rep, err := e.GetReport.Handle(e.ctx, application.GetReport{Actor: bob})

	require.NoError(t, err)
	assert.Equal(t, 2, rep.Total.Opened)
	assert.Equal(t, 1, rep.Total.Closed)
	assert.InDelta(t, 5.0, rep.Total.AverageRating, 1e-9)
	require.Len(t, rep.ByType, 3, "every type, in domain order")
	byType := map[domain.TicketType]application.ReportLine{}
	for _, l := range rep.ByType {
		byType[l.Type] = l
	}
	assert.Equal(t, 1, byType[domain.TypeRepair].Opened)
	assert.Equal(t, 1, byType[domain.TypeRepair].Closed)
	assert.Equal(t, 1, byType[domain.TypeConsultation].Opened)
	require.Len(t, rep.ByAssignee, 1, "only who closed or was rated")
	assert.Equal(t, "bob", rep.ByAssignee[0].Name)
	assert.Equal(t, 1, rep.ByAssignee[0].Closed)
	assert.Equal(t, 1, rep.ByAssignee[0].Ratings)
	assert.Equal(t, 2, rep.Days[len(rep.Days)-1].Opened, "today's")
}

// Ten tickets answered after 10, 20, …, 100 minutes: the median is the
// fifth time and the 90th percentile the ninth (nearest rank), each
// within the 2.5% of a DurationBucket.
func TestGetReportMedianAndPercentileOfResponseTimes(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	bob := e.user(t, "bob", domain.RoleStaff)
	var ids []int64
	for range 10 {
		ids = append(ids, e.ticket(t, alice, "help").ID())
	}
	for _, id := range ids {
		e.clock.Advance(10 * time.Minute)
		require.NoError(t, e.AddComment.Handle(e.ctx, application.AddComment{Actor: bob, TicketID: id, Text: "on it"}))
	}

	rep, err := e.GetReport.Handle(e.ctx, application.GetReport{Actor: bob})

	require.NoError(t, err)
	assert.Equal(t, 10, rep.Response.Count)
	assert.InEpsilon(t, float64(50*time.Minute), float64(rep.Response.Median), 0.025)
	assert.InEpsilon(t, float64(90*time.Minute), float64(rep.Response.P90), 0.025)
	assert.Equal(t, 55*time.Minute, rep.Total.Responses.Mean, "the mean is exact")
	assert.Zero(t, rep.Resolution.Count, "nothing closed")
}

func TestDurationBucketsAreWithinTwoAndAHalfPercent(t *testing.T) {
	for _, s := range []int64{0, 1, 2, 59, 60, 3600, 3601, 86400, 97200, 2592000, 31536000} {
		b := application.DurationBucket(s)
		got := application.BucketDuration(b)
		want := time.Duration(max(s, 1)) * time.Second
		assert.InEpsilon(t, float64(want), float64(got), 0.026, "%d s, bucket %d", s, b)
	}
}
