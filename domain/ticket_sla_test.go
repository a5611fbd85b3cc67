package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// newTargetTicket files a ticket of owner at at under p.
func newTargetTicket(t *testing.T, p domain.SLAPolicy, at time.Time) *domain.Ticket {
	t.Helper()
	tk, err := domain.NewTicket(owner, "Printer", "It jams", "repair", at)
	require.NoError(t, err)
	tk.StartTargets(p)
	return tk
}

func TestTargetsStartFromTheFiling(t *testing.T) {
	tk := newTargetTicket(t, domain.DefaultSLAPolicy(domain.TypeRepair), t0)
	s := tk.Targets()
	assert.True(t, s.HasTargets)
	assert.Equal(t, t0.Add(4*time.Hour), s.ResponseDue)
	assert.Equal(t, t0.Add(72*time.Hour), s.ResolutionDue)
	assert.Equal(t, t0.Add(4*time.Hour), tk.NextDue(), "the response is due first")
	assert.False(t, tk.Overdue(t0.Add(4*time.Hour)), "exactly at the due time is in time")
	assert.True(t, tk.Overdue(t0.Add(4*time.Hour+time.Second)))
}

func TestResponseMetToTheSecond(t *testing.T) {
	cases := []struct {
		name string
		at   time.Duration
		met  bool
	}{
		{"a second early", 4*time.Hour - time.Second, true},
		{"exactly at the due time", 4 * time.Hour, true},
		{"a second late", 4*time.Hour + time.Second, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tk := newTargetTicket(t, domain.DefaultSLAPolicy(domain.TypeRepair), t0)
			require.NoError(t, tk.AddComment(staff, "On it", false, t0.Add(tc.at)))
			s := tk.Targets()
			require.NotNil(t, s.ResponseMet)
			assert.Equal(t, tc.met, *s.ResponseMet)
			assert.Equal(t, t0.Add(tc.at), s.FirstResponseAt)
			assert.Equal(t, s.ResolutionDue, tk.NextDue(), "then the resolution is pending")
		})
	}
}

func TestWhatCountsAsTheResponse(t *testing.T) {
	p := domain.DefaultSLAPolicy(domain.TypeRepair)
	tk := newTargetTicket(t, p, t0)
	require.NoError(t, tk.AddComment(staff, "internal note", true, t0.Add(time.Minute)))
	require.NoError(t, tk.AddComment(owner, "any news?", false, t0.Add(2*time.Minute)))
	assert.True(t, tk.Targets().FirstResponseAt.IsZero(), "neither a staff note nor the owner's comment")

	require.NoError(t, tk.ChangeStatus(staff, domain.StatusInProgress, "", t0.Add(3*time.Minute)))
	assert.Equal(t, t0.Add(3*time.Minute), tk.Targets().FirstResponseAt, "a staff status change")
	require.NoError(t, tk.AddComment(staff, "later", false, t0.Add(4*time.Minute)))
	assert.Equal(t, t0.Add(3*time.Minute), tk.Targets().FirstResponseAt, "only the first counts")
}

func TestAskingTheOwnerPausesTheClock(t *testing.T) {
	tk := newTargetTicket(t, domain.DefaultSLAPolicy(domain.TypeRepair), t0)
	require.NoError(t, tk.AddComment(staff, "Which model?", false, t0.Add(time.Hour)))
	require.NoError(t, tk.AskOwner(staff, t0.Add(time.Hour)))
	assert.ErrorIs(t, tk.AskOwner(owner, t0.Add(time.Hour)), domain.ErrForbidden)

	assert.True(t, tk.WaitingForOwner())
	assert.True(t, tk.NextDue().IsZero(), "nothing is due while the clock is stopped")
	assert.False(t, tk.Overdue(t0.Add(1000*time.Hour)))

	require.NoError(t, tk.AddComment(owner, "HP 1020", false, t0.Add(11*time.Hour)))
	assert.False(t, tk.WaitingForOwner())
	s := tk.Targets()
	assert.Equal(t, t0.Add(82*time.Hour), s.ResolutionDue, "ten hours of waiting push the resolution")
	assert.Equal(t, int64(10*3600), s.PausedSeconds)
	assert.Equal(t, t0.Add(82*time.Hour), tk.NextDue())
}

func TestAPauseOverAWeekendPushesByWorkingTimeOnly(t *testing.T) {
	p, err := domain.NewSLAPolicy(domain.TypeRepair, 4*time.Hour, 16*time.Hour, berlinOffice(t))
	require.NoError(t, err)
	tk := newTargetTicket(t, p, berlin(t, "2026-03-25 09:00")) // a Wednesday
	assert.Equal(t, berlin(t, "2026-03-26 16:00").UTC(), tk.Targets().ResolutionDue, "16 working hours")

	require.NoError(t, tk.AddComment(staff, "Photo please", false, berlin(t, "2026-03-27 17:00")))
	require.NoError(t, tk.AskOwner(staff, berlin(t, "2026-03-27 17:00")))
	require.NoError(t, tk.AddComment(owner, "Here", false, berlin(t, "2026-03-30 10:00")))

	// Paused: Friday 17–18, the Sunday night (3 h), Monday 9–10: 5 working hours.
	assert.Equal(t, int64(5*3600), tk.Targets().PausedSeconds)
	assert.Equal(t, berlin(t, "2026-03-27 12:00").UTC(), tk.Targets().ResolutionDue)
}

func TestClosingDecidesTheResolutionAndReopeningUndoesIt(t *testing.T) {
	tk := newTargetTicket(t, domain.DefaultSLAPolicy(domain.TypeRepair), t0)
	require.NoError(t, tk.ChangeStatus(staff, domain.StatusClosed, "done", t0.Add(5*time.Hour)))
	s := tk.Targets()
	require.NotNil(t, s.ResolutionMet)
	assert.True(t, *s.ResolutionMet)
	assert.Equal(t, t0.Add(5*time.Hour), s.ResolvedAt)
	require.NotNil(t, s.ResponseMet)
	assert.False(t, *s.ResponseMet, "the closing was the first response, an hour late")
	assert.True(t, tk.NextDue().IsZero())

	require.NoError(t, tk.AddComment(owner, "still jams", false, t0.Add(7*time.Hour)))
	s = tk.Targets()
	assert.Nil(t, s.ResolutionMet, "reopened: undecided again")
	assert.True(t, s.ResolvedAt.IsZero())
	assert.Equal(t, t0.Add(74*time.Hour), s.ResolutionDue, "the two closed hours do not count")

	require.NoError(t, tk.ChangeStatus(staff, domain.StatusClosed, "", t0.Add(80*time.Hour)))
	s = tk.Targets()
	require.NotNil(t, s.ResolutionMet)
	assert.False(t, *s.ResolutionMet)
	assert.Equal(t, t0.Add(80*time.Hour), s.ResolvedAt)
}

func TestATicketWithoutTargetsIsNeverOverdue(t *testing.T) {
	tk := ticketIn(domain.StatusOpen)
	assert.True(t, tk.NextDue().IsZero())
	assert.False(t, tk.Overdue(t0.Add(10000*time.Hour)))
	require.NoError(t, tk.AddComment(staff, "hi", false, t0.Add(time.Hour)))
	assert.Equal(t, t0.Add(time.Hour), tk.Targets().FirstResponseAt, "recorded for the reports")
	assert.Nil(t, tk.Targets().ResponseMet, "but with no target, neither met nor missed")
}

func TestReplayTargetsPlaysTheStoredSteps(t *testing.T) {
	history := []domain.StatusChange{
		{ByID: staff.ID(), ByName: "staff", From: domain.StatusOpen, To: domain.StatusInProgress, At: t0.Add(5 * time.Hour)},
		{ByID: staff.ID(), ByName: "staff", From: domain.StatusInProgress, To: domain.StatusClosed, At: t0.Add(48 * time.Hour)},
	}
	comments := []domain.Comment{
		{AuthorID: owner.ID(), AuthorName: "owner", Text: "any news?", At: t0.Add(time.Hour)},
		{AuthorID: staff.ID(), AuthorName: "staff", Text: "looking", At: t0.Add(3 * time.Hour)},
	}
	tk := domain.RehydrateTicket(0, owner.ID(), "owner", "Printer", "jams", domain.TypeRepair, domain.StatusClosed,
		0, "", t0, t0.Add(48*time.Hour), history, comments)

	tk.ReplayTargets(domain.DefaultSLAPolicy(domain.TypeRepair))

	s := tk.Targets()
	assert.Equal(t, t0.Add(3*time.Hour), s.FirstResponseAt, "the staff comment came before the status change")
	require.NotNil(t, s.ResponseMet)
	assert.True(t, *s.ResponseMet)
	assert.Equal(t, t0.Add(48*time.Hour), s.ResolvedAt)
	require.NotNil(t, s.ResolutionMet)
	assert.True(t, *s.ResolutionMet)
	assert.True(t, tk.NextDue().IsZero())
}
