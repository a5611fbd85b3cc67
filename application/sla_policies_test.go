package application_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestOnlyAdminsSeeAndSetResponseTargets(t *testing.T) {
	e := newEnv(t)
	staff := e.user(t, "sam", domain.RoleStaff)
	_, err := e.ListSLAPolicies.Handle(e.ctx, application.ListSLAPolicies{Actor: staff})
	assert.ErrorIs(t, err, domain.ErrForbidden)
	_, err = e.SetSLAPolicy.Handle(e.ctx, application.SetSLAPolicy{Actor: staff, Type: "repair", Response: "1h", Resolution: "1d"})
	assert.ErrorIs(t, err, domain.ErrForbidden)
}

func TestNewTicketsGetTheirTypesTargets(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "ada", domain.RoleAdmin)
	owner := e.user(t, "olga", domain.RoleUser)
	policies, err := e.ListSLAPolicies.Handle(e.ctx, application.ListSLAPolicies{Actor: admin})
	require.NoError(t, err)
	require.Len(t, policies, 3)
	assert.Equal(t, domain.DefaultSLAPolicy(domain.TypeConsultation), policies[0], "the defaults until set")

	old := e.ticketOfType(t, owner, "Filed before", "repair")
	_, err = e.SetSLAPolicy.Handle(e.ctx, application.SetSLAPolicy{Actor: admin, Type: "repair",
		Response: "1h", Resolution: "1d", BusinessHours: true, TimeZone: "Europe/Berlin",
		Schedule: "mon 09:00-18:00\ntue 09:00-18:00\nwed 09:00-18:00\nthu 09:00-18:00\nfri 09:00-18:00"})
	require.NoError(t, err)
	tk := e.ticketOfType(t, owner, "Filed after", "repair")
	other := e.ticketOfType(t, owner, "Another type", "service")

	cal := e.stored(t, tk.ID()).Targets().Calendar
	assert.Equal(t, "Europe/Berlin", cal.Zone())
	assert.Equal(t, cal.Add(tk.CreatedAt(), time.Hour), e.stored(t, tk.ID()).Targets().ResponseDue)
	assert.Equal(t, old.CreatedAt().Add(4*time.Hour), e.stored(t, old.ID()).Targets().ResponseDue,
		"a ticket filed before keeps its due times")
	assert.Equal(t, other.CreatedAt().Add(4*time.Hour), e.stored(t, other.ID()).Targets().ResponseDue,
		"other types keep the defaults")
}

func TestBadTargetsAreRefusedAndNothingIsSaved(t *testing.T) {
	cases := []struct {
		name  string
		cmd   application.SetSLAPolicy
		field string
		code  string
	}{
		{"zero", application.SetSLAPolicy{Response: "0", Resolution: "3d"}, "response", domain.CodeNotPositive},
		{"nonsense", application.SetSLAPolicy{Response: "4h", Resolution: "soon"}, "resolution", domain.CodeInvalid},
		{"negative", application.SetSLAPolicy{Response: "-1h", Resolution: "3d"}, "response", domain.CodeInvalid},
		{"too long", application.SetSLAPolicy{Response: "4h", Resolution: "400d"}, "resolution", domain.CodeTooLong},
		{"response after resolution", application.SetSLAPolicy{Response: "2d", Resolution: "1d"}, "response",
			domain.CodeAfterResolution},
		{"overlapping hours", application.SetSLAPolicy{Response: "4h", Resolution: "3d", BusinessHours: true,
			TimeZone: "Europe/Moscow", Schedule: "mon 09:00-13:00\nmon 12:30-18:00"}, "schedule", domain.CodeOverlap},
		{"unknown zone", application.SetSLAPolicy{Response: "4h", Resolution: "3d", BusinessHours: true,
			TimeZone: "Moon/Base", Schedule: "mon 09:00-18:00"}, "time_zone", domain.CodeUnknownZone},
		{"unknown zone and bad schedule", application.SetSLAPolicy{Response: "4h", Resolution: "3d", BusinessHours: true,
			TimeZone: "Moon/Base", Schedule: "monday"}, "time_zone", domain.CodeUnknownZone},
		{"unknown type", application.SetSLAPolicy{Type: "complaint", Response: "4h", Resolution: "3d"}, "type", domain.CodeInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tc.cmd.Actor = e.user(t, "ada", domain.RoleAdmin)
			if tc.cmd.Type == "" {
				tc.cmd.Type = "repair"
			}
			_, err := e.SetSLAPolicy.Handle(e.ctx, tc.cmd)
			errs, ok := domain.AsValidation(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.code, errs.Field(tc.field), "%v", errs)
			stored, err := e.store.SLAPolicies.Policies(e.ctx)
			require.NoError(t, err)
			assert.Empty(t, stored)
		})
	}
}

func TestAskingTheOwnerNeedsAPublicStaffComment(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "olga", domain.RoleUser)
	staff := e.user(t, "sam", domain.RoleStaff)
	tk := e.ticket(t, owner, "Printer")

	err := e.AddComment.Handle(e.ctx, application.AddComment{Actor: staff, TicketID: tk.ID(), Text: "note",
		Internal: true, AskOwner: true})
	assert.Equal(t, domain.ValidationError{Field: "ask_owner", Code: domain.CodeInvalid}, err)
	err = e.AddComment.Handle(e.ctx, application.AddComment{Actor: owner, TicketID: tk.ID(), Text: "?", AskOwner: true})
	assert.ErrorIs(t, err, domain.ErrForbidden)
	assert.False(t, e.stored(t, tk.ID()).WaitingForOwner())
	assert.Empty(t, e.stored(t, tk.ID()).Comments(), "a refused question adds no comment")

	require.NoError(t, e.AddComment.Handle(e.ctx, application.AddComment{Actor: staff, TicketID: tk.ID(),
		Text: "Which model?", AskOwner: true}))
	assert.True(t, e.stored(t, tk.ID()).WaitingForOwner())
	e.clock.Advance(2 * time.Hour)
	require.NoError(t, e.AddComment.Handle(e.ctx, application.AddComment{Actor: owner, TicketID: tk.ID(), Text: "HP"}))
	got := e.stored(t, tk.ID())
	assert.False(t, got.WaitingForOwner())
	assert.Equal(t, int64(2*3600), got.Targets().PausedSeconds)
}

func TestTheQueueRefusesAnUnknownOrder(t *testing.T) {
	e := newEnv(t)
	staff := e.user(t, "sam", domain.RoleStaff)
	_, err := e.ListQueue.Handle(e.ctx, application.ListQueue{Actor: staff, Sort: "soon"})
	assert.Equal(t, domain.ValidationError{Field: "sort", Code: domain.CodeInvalid}, err)
}
