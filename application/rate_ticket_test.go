package application_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestRateTicket(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	tk := e.ticket(t, owner, "Пропал звук")
	require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: staff, TicketID: tk.ID(), Status: "closed"}))

	e.clock.Set(t0.Add(time.Hour))
	require.NoError(t, e.RateTicket.Handle(e.ctx, application.RateTicket{Actor: owner, TicketID: tk.ID(), Stars: 2}))
	require.NoError(t, e.RateTicket.Handle(e.ctx, application.RateTicket{Actor: owner, TicketID: tk.ID(), Stars: 4}),
		"the owner changes their mind")

	v, err := e.GetTicket.Handle(e.ctx, application.GetTicket{Actor: staff, ID: tk.ID()})
	require.NoError(t, err)
	assert.Equal(t, 4, v.Ticket.Rating(), "staff see the rating")
	assert.Equal(t, t0.Add(time.Hour), v.Ticket.RatedAt())
	assert.Equal(t, []domain.Event{
		domain.TicketRated{TicketID: tk.ID(), OwnerID: owner.ID(), Title: "Пропал звук", Stars: 2,
			ByID: owner.ID(), ByName: "owner", At: t0.Add(time.Hour)},
		domain.TicketRated{TicketID: tk.ID(), OwnerID: owner.ID(), Title: "Пропал звук", Stars: 4, Previous: 2,
			ByID: owner.ID(), ByName: "owner", At: t0.Add(time.Hour)},
	}, e.events(t, domain.KindTicketRated))
	page, err := e.ListQueue.Handle(e.ctx, application.ListQueue{Actor: staff})
	require.NoError(t, err)
	require.Len(t, page.Tickets, 1)
	assert.Equal(t, 4, page.Tickets[0].Rating(), "the queue lists the rating")
}

func TestRateTicketRefusals(t *testing.T) {
	tests := []struct {
		name   string
		actor  string
		closed bool
		stars  int
		want   error
	}{
		{"a stranger", "stranger", true, 5, domain.ErrTicketNotFound},
		{"staff", "staff", true, 5, domain.ErrForbidden},
		{"an open ticket", "owner", false, 5, domain.ErrNotRated},
		{"no stars", "owner", true, 0, domain.ValidationError{Field: "stars", Code: domain.CodeInvalid}},
		{"six stars", "owner", true, 6, domain.ValidationError{Field: "stars", Code: domain.CodeInvalid}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			people := map[string]*domain.User{
				"owner":    e.user(t, "owner", domain.RoleUser),
				"stranger": e.user(t, "stranger", domain.RoleUser),
				"staff":    e.user(t, "staff", domain.RoleStaff),
			}
			tk := e.ticket(t, people["owner"], "t")
			if tc.closed {
				require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: people["staff"], TicketID: tk.ID(), Status: "closed"}))
			}

			err := e.RateTicket.Handle(e.ctx, application.RateTicket{Actor: people[tc.actor], TicketID: tk.ID(), Stars: tc.stars})

			assert.ErrorIs(t, err, tc.want)
			assert.Zero(t, e.stored(t, tk.ID()).Rating())
			assert.Empty(t, e.events(t, domain.KindTicketRated))
		})
	}
}

func TestRateAMissingTicket(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)

	err := e.RateTicket.Handle(e.ctx, application.RateTicket{Actor: owner, TicketID: 404, Stars: 3})

	assert.ErrorIs(t, err, domain.ErrTicketNotFound)
}
