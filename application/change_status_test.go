package application_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestChangeStatusPerRole(t *testing.T) {
	tests := []struct {
		name string
		role domain.Role
		own  bool   // the actor submitted the ticket
		to   string // the status asked for
		want error
	}{
		{"the owner starts the work", domain.RoleUser, true, "in_progress", domain.ErrForbidden},
		{"the owner closes", domain.RoleUser, true, "closed", nil},
		{"another user", domain.RoleUser, false, "in_progress", domain.ErrTicketNotFound},
		{"another user closes", domain.RoleUser, false, "closed", domain.ErrTicketNotFound},
		{"staff", domain.RoleStaff, false, "in_progress", nil},
		{"admin", domain.RoleAdmin, false, "in_progress", nil},
		{"staff on their own ticket", domain.RoleStaff, true, "in_progress", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			actor := e.user(t, "actor", tc.role)
			owner := actor
			if !tc.own {
				owner = e.user(t, "owner", domain.RoleUser)
			}
			tk := e.ticket(t, owner, "t")

			err := e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: actor, TicketID: tk.ID(), Status: tc.to})

			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
				assert.Equal(t, domain.StatusOpen, e.stored(t, tk.ID()).Status(), "nothing changed")
				assert.Empty(t, e.events(t, domain.KindTicketStatusChanged))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.to, e.stored(t, tk.ID()).Status().String())
		})
	}
}

func TestChangeStatusRefusesAnUnknownStatusBeforeReadingTheTicket(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)

	err := e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: owner, TicketID: 404, Status: "done"})
	assert.Equal(t, domain.ValidationError{Field: "status", Code: domain.CodeInvalid}, err)

	err = e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: owner, TicketID: 404, Status: "closed"})
	assert.ErrorIs(t, err, domain.ErrTicketNotFound)
}

func TestTheOwnersReplyReopensAClosedTicket(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	tk := e.ticket(t, owner, "Пропал звук")
	require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: owner, TicketID: tk.ID(), Status: "closed"}))
	require.NoError(t, e.RateTicket.Handle(e.ctx, application.RateTicket{Actor: owner, TicketID: tk.ID(), Stars: 5}))

	e.clock.Set(t0.Add(time.Hour))
	require.NoError(t, e.AddComment.Handle(e.ctx, application.AddComment{Actor: owner, TicketID: tk.ID(), Text: "Снова нет звука"}))

	stored := e.stored(t, tk.ID())
	assert.Equal(t, domain.StatusOpen, stored.Status())
	assert.Zero(t, stored.Rating(), "the rating belonged to the closing that ended")
	history := stored.History()
	require.Len(t, history, 2)
	assert.True(t, history[1].ByReply, "the history says the owner's reply reopened it")
	assert.Equal(t, domain.StatusClosed, history[1].From)
	assert.Len(t, stored.Comments(), 1)
	changes := e.events(t, domain.KindTicketStatusChanged)
	require.Len(t, changes, 2)
	assert.True(t, changes[1].(domain.TicketStatusChanged).ByReply)
}

func TestChangeStatusRecordsHistoryAndEvent(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	admin := e.user(t, "admin", domain.RoleAdmin)
	tk := e.ticket(t, owner, "Пропал звук")

	e.clock.Set(t0.Add(time.Hour))
	require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: staff, TicketID: tk.ID(), Status: "in_progress"}))
	e.clock.Set(t0.Add(2 * time.Hour))
	require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: admin, TicketID: tk.ID(), Status: "closed", Comment: " Заменили динамик "}))

	v, err := e.GetTicket.Handle(e.ctx, application.GetTicket{Actor: owner, ID: tk.ID()})
	require.NoError(t, err, "the owner reads the history")
	history := v.Ticket.History()
	require.Len(t, history, 2)
	for i := range history {
		assert.NotZero(t, history[i].ID, "storage gives each entry an id")
		history[i].ID = 0
	}
	assert.Equal(t, []domain.StatusChange{
		{ByID: staff.ID(), ByName: "staff", From: domain.StatusOpen, To: domain.StatusInProgress, At: t0.Add(time.Hour)},
		{ByID: admin.ID(), ByName: "admin", From: domain.StatusInProgress, To: domain.StatusClosed, Comment: "Заменили динамик", At: t0.Add(2 * time.Hour)},
	}, history)
	assert.Equal(t, domain.StatusClosed, v.Ticket.Status())
	assert.Equal(t, t0.Add(2*time.Hour), v.Ticket.UpdatedAt())
	assert.Equal(t, []domain.Event{
		domain.TicketStatusChanged{TicketID: tk.ID(), OwnerID: owner.ID(), Title: "Пропал звук",
			From: "open", To: "in_progress", ByID: staff.ID(), ByName: "staff", At: t0.Add(time.Hour)},
		domain.TicketStatusChanged{TicketID: tk.ID(), OwnerID: owner.ID(), Title: "Пропал звук",
			From: "in_progress", To: "closed", ByID: admin.ID(), ByName: "admin", Comment: "Заменили динамик", At: t0.Add(2 * time.Hour)},
	}, e.events(t, domain.KindTicketStatusChanged))
}

func TestChangeStatusRefusals(t *testing.T) {
	tests := []struct {
		name     string
		ticketID func(id int64) int64
		status   string
		comment  string
		want     error
	}{
		{"a transition the workflow refuses", same, "open", "", domain.ErrInvalidTransition},
		{"unknown status", same, "done", "", domain.ValidationError{Field: "status", Code: domain.CodeInvalid}},
		{"no status", same, "", "", domain.ValidationError{Field: "status", Code: domain.CodeInvalid}},
		{"status in the wrong case", same, "CLOSED", "", domain.ValidationError{Field: "status", Code: domain.CodeInvalid}},
		{"a comment over 5000 characters", same, "closed", strings.Repeat("ы", 5001),
			domain.ValidationError{Field: "comment", Code: domain.CodeTooLong}},
		{"missing ticket", func(id int64) int64 { return id + 100 }, "closed", "", domain.ErrTicketNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			owner := e.user(t, "owner", domain.RoleUser)
			staff := e.user(t, "staff", domain.RoleStaff)
			tk := e.ticket(t, owner, "t")

			err := e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{
				Actor: staff, TicketID: tc.ticketID(tk.ID()), Status: tc.status, Comment: tc.comment,
			})

			require.ErrorIs(t, err, tc.want)
			stored := e.stored(t, tk.ID())
			assert.Equal(t, domain.StatusOpen, stored.Status(), "nothing changed")
			assert.Empty(t, stored.History())
			assert.Empty(t, e.events(t, domain.KindTicketStatusChanged))
		})
	}
}

func same(id int64) int64 { return id }
