package application_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestAddComment(t *testing.T) {
	tests := []struct {
		name     string
		actor    string // one of owner, stranger, staff, admin
		status   string // the ticket's status beforehand
		text     string
		internal bool
		want     error
	}{
		{"owner", "owner", "open", "Когда будет готово?", false, nil},
		{"owner on a ticket in progress", "owner", "in_progress", "Спасибо", false, nil},
		{"staff", "staff", "open", "Ждём запчасть", false, nil},
		{"staff internal note", "staff", "open", "Клиент раздражён", true, nil},
		{"admin internal note", "admin", "open", "Проверить гарантию", true, nil},
		{"owner internal note", "owner", "open", "секрет", true, domain.ErrForbidden},
		{"stranger", "stranger", "open", "Привет", false, domain.ErrTicketNotFound},
		{"stranger internal note", "stranger", "open", "Привет", true, domain.ErrTicketNotFound},
		{"staff on a closed ticket", "staff", "closed", "Закрыто", false, nil},
		{"empty", "owner", "open", "   ", false, domain.ValidationError{Field: "text", Code: domain.CodeRequired}},
		{"over 5000 characters", "staff", "open", strings.Repeat("ы", 5001), false,
			domain.ValidationError{Field: "text", Code: domain.CodeTooLong}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			people := map[string]*domain.User{
				"owner":    e.user(t, "owner", domain.RoleUser),
				"stranger": e.user(t, "stranger", domain.RoleUser),
				"staff":    e.user(t, "staff", domain.RoleStaff),
				"admin":    e.user(t, "admin", domain.RoleAdmin),
			}
			tk := e.ticket(t, people["owner"], "Пропал звук")
			if tc.status == "closed" {
				require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: people["staff"], TicketID: tk.ID(), Status: "closed"}))
			}
			if tc.status == "in_progress" {
				require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: people["staff"], TicketID: tk.ID(), Status: "in_progress"}))
			}
			actor := people[tc.actor]

			err := e.AddComment.Handle(e.ctx, application.AddComment{Actor: actor, TicketID: tk.ID(), Text: tc.text, Internal: tc.internal})

			stored := e.stored(t, tk.ID())
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
				assert.Empty(t, stored.Comments(), "nothing is stored")
				assert.Empty(t, e.events(t, domain.KindCommentAdded))
				return
			}
			require.NoError(t, err)
			require.Len(t, stored.Comments(), 1)
			c := stored.Comments()[0]
			assert.NotZero(t, c.ID)
			assert.Equal(t, actor.ID(), c.AuthorID)
			assert.Equal(t, tc.text, c.Text)
			assert.Equal(t, tc.internal, c.Internal)
			assert.Equal(t, t0, c.At)
			assert.Equal(t, []domain.Event{domain.CommentAdded{
				TicketID: tk.ID(), OwnerID: people["owner"].ID(), Title: "Пропал звук",
				AuthorID: actor.ID(), AuthorName: actor.Username(), Text: tc.text, Internal: tc.internal, At: t0,
			}}, e.events(t, domain.KindCommentAdded))
		})
	}
}

func TestAddCommentToAMissingTicket(t *testing.T) {
	e := newEnv(t)
	staff := e.user(t, "staff", domain.RoleStaff)

	err := e.AddComment.Handle(e.ctx, application.AddComment{Actor: staff, TicketID: 404, Text: "hello"})

	assert.ErrorIs(t, err, domain.ErrTicketNotFound)
}

func TestInternalNotesNeverReachTheOwner(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	tk := e.ticket(t, owner, "t")
	for _, c := range []application.AddComment{
		{Actor: owner, TicketID: tk.ID(), Text: "1 owner"},
		{Actor: staff, TicketID: tk.ID(), Text: "2 internal", Internal: true},
		{Actor: staff, TicketID: tk.ID(), Text: "3 public"},
		{Actor: staff, TicketID: tk.ID(), Text: "4 internal", Internal: true},
	} {
		require.NoError(t, e.AddComment.Handle(e.ctx, c))
	}

	ownerView, err := e.GetTicket.Handle(e.ctx, application.GetTicket{Actor: owner, ID: tk.ID()})
	require.NoError(t, err)
	staffView, err := e.GetTicket.Handle(e.ctx, application.GetTicket{Actor: staff, ID: tk.ID()})
	require.NoError(t, err)

	assert.Equal(t, []string{"1 owner", "3 public"}, commentTexts(ownerView.Comments))
	assert.Equal(t, []string{"1 owner", "2 internal", "3 public", "4 internal"}, commentTexts(staffView.Comments))
}
