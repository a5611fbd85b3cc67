package application_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestSubmitTicket(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)

	tk, err := e.SubmitTicket.Handle(e.ctx, application.SubmitTicket{
		Actor: alice, Title: "  Пропал звук ", Text: "Нет звука", Type: "repair",
	})

	require.NoError(t, err)
	require.NotZero(t, tk.ID())
	stored := e.stored(t, tk.ID())
	assert.Equal(t, alice.ID(), stored.OwnerID())
	assert.Equal(t, "alice", stored.OwnerName())
	assert.Equal(t, "Пропал звук", stored.Title())
	assert.Equal(t, domain.StatusOpen, stored.Status())
	assert.Equal(t, t0, stored.CreatedAt())
	assert.Equal(t, []domain.Event{domain.TicketSubmitted{
		TicketID: tk.ID(), OwnerID: alice.ID(), OwnerName: "alice", Title: "Пропал звук", Type: "repair", At: t0,
	}}, e.events(t, domain.KindTicketSubmitted), "the event is stored with the ticket, with its id")
}

func TestSubmitTicketRefusesBadInputAndStoresNothing(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)

	tk, err := e.SubmitTicket.Handle(e.ctx, application.SubmitTicket{
		Actor: alice, Title: strings.Repeat("я", 121), Text: " ", Type: "complaint",
	})

	requireValidation(t, err,
		domain.ValidationError{Field: "title", Code: domain.CodeTooLong},
		domain.ValidationError{Field: "text", Code: domain.CodeRequired},
		domain.ValidationError{Field: "type", Code: domain.CodeInvalid},
	)
	assert.Nil(t, tk)
	mine, err := e.ListMyTickets.Handle(e.ctx, application.ListMyTickets{Actor: alice})
	require.NoError(t, err)
	assert.Zero(t, mine.Total)
	assert.Empty(t, e.events(t, domain.KindTicketSubmitted))
}

func TestListMyTicketsShowsOnlyOwnTicketsNewestFirst(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	bob := e.user(t, "bob", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	e.ticket(t, alice, "alice 1")
	e.ticket(t, bob, "bob 1")
	e.ticket(t, alice, "alice 2")

	tests := []struct {
		actor *domain.User
		want  []string
	}{
		{alice, []string{"alice 2", "alice 1"}},
		{bob, []string{"bob 1"}},
		{staff, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.actor.Username(), func(t *testing.T) {
			page, err := e.ListMyTickets.Handle(e.ctx, application.ListMyTickets{Actor: tc.actor})

			require.NoError(t, err)
			assert.Equal(t, tc.want, titles(page.Tickets))
			assert.Equal(t, len(tc.want), page.Total)
			assert.Zero(t, page.Next)
		})
	}
}

func TestListMyTicketsPaginates(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	bob := e.user(t, "bob", domain.RoleUser)
	for i := 1; i <= 5; i++ {
		e.ticket(t, alice, fmt.Sprintf("alice %d", i))
		e.ticket(t, bob, fmt.Sprintf("bob %d", i))
	}

	var pages [][]string
	page := application.Page{Limit: 2}
	for {
		p, err := e.ListMyTickets.Handle(e.ctx, application.ListMyTickets{Actor: alice, Page: page})
		require.NoError(t, err)
		assert.Equal(t, 5, p.Total, "the total counts every page")
		pages = append(pages, titles(p.Tickets))
		if p.Next == 0 {
			break
		}
		require.Less(t, len(pages), 5, "pagination does not end")
		page.Before = p.Next
	}

	assert.Equal(t, [][]string{{"alice 5", "alice 4"}, {"alice 3", "alice 2"}, {"alice 1"}}, pages)
}

func TestListMyTicketsPageStaysCorrectWhileTicketsArrive(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	for i := 1; i <= 4; i++ {
		e.ticket(t, alice, fmt.Sprintf("alice %d", i))
	}
	first, err := e.ListMyTickets.Handle(e.ctx, application.ListMyTickets{Actor: alice, Page: application.Page{Limit: 2}})
	require.NoError(t, err)
	require.Equal(t, []string{"alice 4", "alice 3"}, titles(first.Tickets))

	e.ticket(t, alice, "alice 5")
	second, err := e.ListMyTickets.Handle(e.ctx, application.ListMyTickets{Actor: alice, Page: application.Page{Before: first.Next, Limit: 2}})

	require.NoError(t, err)
	assert.Equal(t, []string{"alice 2", "alice 1"}, titles(second.Tickets), "no ticket is shown twice or skipped")
}

func TestListMyTicketsNormalizesThePage(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	for i := 1; i <= application.MaxPageSize+1; i++ {
		e.ticket(t, alice, fmt.Sprintf("t%d", i))
	}

	tests := []struct {
		name string
		page application.Page
		want int
	}{
		{"no limit means the default", application.Page{}, application.DefaultPageSize},
		{"a negative limit means the default", application.Page{Limit: -5}, application.DefaultPageSize},
		{"a huge limit is capped", application.Page{Limit: 100000}, application.MaxPageSize},
		{"a negative before means from the newest", application.Page{Before: -1, Limit: 3}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := e.ListMyTickets.Handle(e.ctx, application.ListMyTickets{Actor: alice, Page: tc.page})
			require.NoError(t, err)
			assert.Len(t, p.Tickets, tc.want)
		})
	}
}

func TestGetTicketPerRole(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	other := e.user(t, "other", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	admin := e.user(t, "admin", domain.RoleAdmin)
	tk := e.ticket(t, owner, "Экран часов")
	require.NoError(t, e.AddComment.Handle(e.ctx, application.AddComment{Actor: owner, TicketID: tk.ID(), Text: "question"}))
	require.NoError(t, e.AddComment.Handle(e.ctx, application.AddComment{Actor: staff, TicketID: tk.ID(), Text: "staff only", Internal: true}))
	require.NoError(t, e.AddComment.Handle(e.ctx, application.AddComment{Actor: staff, TicketID: tk.ID(), Text: "answer"}))

	tests := []struct {
		name         string
		actor        *domain.User
		wantErr      error
		wantComments []string
		wantNext     []domain.Status
	}{
		{"owner", owner, nil, []string{"question", "answer"}, []domain.Status{domain.StatusClosed}},
		{"another user", other, domain.ErrTicketNotFound, nil, nil},
		{"staff", staff, nil, []string{"question", "staff only", "answer"},
			[]domain.Status{domain.StatusInProgress, domain.StatusClosed}},
		{"admin", admin, nil, []string{"question", "staff only", "answer"},
			[]domain.Status{domain.StatusInProgress, domain.StatusClosed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := e.GetTicket.Handle(e.ctx, application.GetTicket{Actor: tc.actor, ID: tk.ID()})

			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
				assert.Nil(t, v.Ticket, "nothing of the ticket leaks")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tk.ID(), v.Ticket.ID())
			assert.Equal(t, "Экран часов", v.Ticket.Title())
			assert.Equal(t, tc.wantComments, commentTexts(v.Comments))
			assert.Equal(t, tc.wantNext, v.Next)
		})
	}
}

func TestGetTicketThatDoesNotExist(t *testing.T) {
	e := newEnv(t)
	staff := e.user(t, "staff", domain.RoleStaff)

	_, err := e.GetTicket.Handle(e.ctx, application.GetTicket{Actor: staff, ID: 404})

	assert.ErrorIs(t, err, domain.ErrTicketNotFound)
}

func TestGetTicketOfferedTransitionsFollowTheStatus(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	tk := e.ticket(t, owner, "t")

	steps := []struct {
		to   string
		want []domain.Status
	}{
		{"in_progress", []domain.Status{domain.StatusClosed}},
		{"closed", []domain.Status{domain.StatusOpen}},
		{"open", []domain.Status{domain.StatusInProgress, domain.StatusClosed}},
	}
	for _, s := range steps {
		require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: staff, TicketID: tk.ID(), Status: s.to}))
		v, err := e.GetTicket.Handle(e.ctx, application.GetTicket{Actor: staff, ID: tk.ID()})
		require.NoError(t, err)
		assert.Equal(t, s.want, v.Next, "after moving to %s", s.to)
	}
}
