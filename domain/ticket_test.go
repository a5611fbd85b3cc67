package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

func TestNewTicket(t *testing.T) {
	local := time.FixedZone("MSK", 3*60*60)

	tk, err := domain.NewTicket(owner, "  Пропал звук \n", "\tНет звука в наушниках  ", "repair", t0.In(local))

	require.NoError(t, err)
	assert.Zero(t, tk.ID(), "storage gives the id")
	assert.Equal(t, owner.ID(), tk.OwnerID())
	assert.Equal(t, owner.Username(), tk.OwnerName())
	assert.Equal(t, "Пропал звук", tk.Title(), "title is trimmed")
	assert.Equal(t, "Нет звука в наушниках", tk.Text(), "text is trimmed")
	assert.Equal(t, domain.TypeRepair, tk.Type())
	assert.Equal(t, domain.StatusOpen, tk.Status(), "a new ticket is open")
	assert.Zero(t, tk.AssigneeID())
	assert.Equal(t, t0, tk.CreatedAt())
	assert.Equal(t, time.UTC, tk.CreatedAt().Location())
	assert.Equal(t, t0, tk.UpdatedAt())
	assert.Empty(t, tk.History())
	assert.Empty(t, tk.Comments())
	assert.Equal(t, []domain.Event{domain.TicketSubmitted{
		OwnerID: owner.ID(), OwnerName: owner.Username(), Title: "Пропал звук", Type: "repair", At: t0,
	}}, tk.Events())
}

func TestNewTicketValidation(t *testing.T) {
	const okTitle, okText, okType = "Экран часов", "Треснул экран", "service"
	// Cyrillic letters are two bytes each in UTF-8, so these also check that
	// lengths count characters, not bytes.
	title120 := strings.Repeat("ж", 120)
	text5000 := strings.Repeat("ж", 5000)

	tests := []struct {
		name             string
		title, text, typ string
		want             domain.ValidationErrors // nil means valid
	}{
		{"valid", okTitle, okText, okType, nil},
		{"title of 120 Cyrillic characters", title120, okText, okType, nil},
		{"title of 120 characters surrounded by spaces", "  " + title120 + "  ", okText, okType, nil},
		{"title of 121 Cyrillic characters", title120 + "ж", okText, okType,
			domain.ValidationErrors{{Field: "title", Code: domain.CodeTooLong}}},
		{"empty title", "", okText, okType,
			domain.ValidationErrors{{Field: "title", Code: domain.CodeRequired}}},
		{"blank title", " \t\n ", okText, okType,
			domain.ValidationErrors{{Field: "title", Code: domain.CodeRequired}}},
		{"text of 5000 Cyrillic characters", okTitle, text5000, okType, nil},
		{"text of 5001 Cyrillic characters", okTitle, text5000 + "ж", okType,
			domain.ValidationErrors{{Field: "text", Code: domain.CodeTooLong}}},
		{"blank text", okTitle, "   ", okType,
			domain.ValidationErrors{{Field: "text", Code: domain.CodeRequired}}},
		{"no type", okTitle, okText, "",
			domain.ValidationErrors{{Field: "type", Code: domain.CodeRequired}}},
		{"unknown type", okTitle, okText, "complaint",
			domain.ValidationErrors{{Field: "type", Code: domain.CodeInvalid}}},
		{"everything missing at once", "", "", "", domain.ValidationErrors{
			{Field: "title", Code: domain.CodeRequired},
			{Field: "text", Code: domain.CodeRequired},
			{Field: "type", Code: domain.CodeRequired},
		}},
		{"everything wrong at once", title120 + "ж", text5000 + "ж", "complaint", domain.ValidationErrors{
			{Field: "title", Code: domain.CodeTooLong},
			{Field: "text", Code: domain.CodeTooLong},
			{Field: "type", Code: domain.CodeInvalid},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tk, err := domain.NewTicket(owner, tc.title, tc.text, tc.typ, t0)
			if tc.want == nil {
				require.NoError(t, err)
				assert.NotNil(t, tk)
				return
			}
			assert.Equal(t, tc.want, err)
			assert.Nil(t, tk)
		})
	}
}

func TestTicketSetIDStampsTicketSubmitted(t *testing.T) {
	tk, err := domain.NewTicket(owner, "Компенсация", "Верните деньги", "consultation", t0)
	require.NoError(t, err)

	tk.SetID(12)

	assert.Equal(t, int64(12), tk.ID())
	require.Len(t, tk.Events(), 1)
	ev, ok := tk.Events()[0].(domain.TicketSubmitted)
	require.True(t, ok, "the event is %T", tk.Events()[0])
	assert.Equal(t, int64(12), ev.TicketID)
	assert.Equal(t, "ticket:12", ev.StreamKey())
	assert.Panics(t, func() { tk.SetID(13) }, "an id is set once")
}

func TestTicketChangeStatusFollowsTheWorkflow(t *testing.T) {
	for _, tc := range workflow {
		t.Run(tc.from.String()+"→"+tc.to.String(), func(t *testing.T) {
			tk := ticketIn(tc.from)

			err := tk.ChangeStatus(staff, tc.to, "", t0.Add(time.Hour))

			if tc.allowed {
				require.NoError(t, err)
				assert.Equal(t, tc.to, tk.Status())
				assert.Len(t, tk.History(), 1)
				assert.Len(t, tk.Events(), 1)
				return
			}
			assert.ErrorIs(t, err, domain.ErrInvalidTransition)
			assert.Equal(t, tc.from, tk.Status(), "a refused change leaves the status")
			assert.Empty(t, tk.History())
			assert.Empty(t, tk.Events())
			assert.Equal(t, t0, tk.UpdatedAt())
		})
	}
}

func TestTicketChangeStatusPerPerson(t *testing.T) {
	tests := []struct {
		name     string
		by       *domain.User
		from, to domain.Status
		want     error
	}{
		{"the owner closes", owner, domain.StatusOpen, domain.StatusClosed, nil},
		{"the owner closes a ticket in progress", owner, domain.StatusInProgress, domain.StatusClosed, nil},
		{"the owner reopens", owner, domain.StatusClosed, domain.StatusOpen, nil},
		{"the owner cannot start the work", owner, domain.StatusOpen, domain.StatusInProgress, domain.ErrForbidden},
		{"the owner follows the workflow", owner, domain.StatusClosed, domain.StatusInProgress, domain.ErrInvalidTransition},
		{"another user cannot close", stranger, domain.StatusOpen, domain.StatusClosed, domain.ErrForbidden},
		{"another user cannot reopen", stranger, domain.StatusClosed, domain.StatusOpen, domain.ErrForbidden},
		{"staff", staff, domain.StatusOpen, domain.StatusInProgress, nil},
		{"admin", admin, domain.StatusOpen, domain.StatusInProgress, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tk := ticketIn(tc.from)

			err := tk.ChangeStatus(tc.by, tc.to, "", t0)

			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.to, tk.Status())
				assert.Len(t, tk.Events(), 1)
				return
			}
			assert.ErrorIs(t, err, tc.want)
			assert.Equal(t, tc.from, tk.Status())
			assert.Empty(t, tk.History())
			assert.Empty(t, tk.Events())
		})
	}
}

func TestTicketNextStatusesPerPerson(t *testing.T) {
	open, closed := ticketIn(domain.StatusOpen), ticketIn(domain.StatusClosed)

	assert.Equal(t, []domain.Status{domain.StatusInProgress, domain.StatusClosed}, open.NextStatuses(staff))
	assert.Equal(t, []domain.Status{domain.StatusClosed}, open.NextStatuses(owner))
	assert.Equal(t, []domain.Status{domain.StatusOpen}, closed.NextStatuses(owner))
	assert.Empty(t, open.NextStatuses(stranger))
}

func TestTicketOwnersReplyReopensAClosedTicket(t *testing.T) {
	tk := ticketIn(domain.StatusOpen)
	require.NoError(t, tk.ChangeStatus(staff, domain.StatusClosed, "", t0.Add(time.Minute)))
	require.NoError(t, tk.Rate(owner, 4, t0.Add(2*time.Minute)))

	require.NoError(t, tk.AddComment(owner, "Опять не работает", false, t0.Add(time.Hour)))

	assert.Equal(t, domain.StatusOpen, tk.Status())
	assert.Zero(t, tk.Rating(), "the rating was of the closing that ended")
	assert.True(t, tk.RatedAt().IsZero())
	history := tk.History()
	require.Len(t, history, 2)
	assert.Equal(t, domain.StatusChange{ByID: owner.ID(), ByName: owner.Username(), From: domain.StatusClosed,
		To: domain.StatusOpen, At: t0.Add(time.Hour), ByReply: true}, history[1])
	require.Len(t, tk.Comments(), 1)
	events := tk.Events()
	require.Len(t, events, 4)
	reopened, ok := events[2].(domain.TicketStatusChanged)
	require.True(t, ok, "the reopening comes before the comment: %T", events[2])
	assert.True(t, reopened.ByReply)
	assert.Equal(t, "open", reopened.To)
	assert.IsType(t, domain.CommentAdded{}, events[3])
}

func TestTicketRepliesThatDoNotReopen(t *testing.T) {
	t.Run("staff write on a closed ticket", func(t *testing.T) {
		tk := ticketIn(domain.StatusClosed)
		require.NoError(t, tk.AddComment(staff, "Закрыто по просьбе клиента", false, t0))
		assert.Equal(t, domain.StatusClosed, tk.Status())
		assert.Empty(t, tk.History())
	})
	t.Run("a refused reply leaves the ticket closed", func(t *testing.T) {
		tk := ticketIn(domain.StatusClosed)
		err := tk.AddComment(owner, strings.Repeat("ж", 5001), false, t0)
		assert.Equal(t, domain.ValidationError{Field: "text", Code: domain.CodeTooLong}, err)
		assert.Equal(t, domain.StatusClosed, tk.Status())
		assert.Empty(t, tk.Events())
	})
	t.Run("a stranger's reply", func(t *testing.T) {
		tk := ticketIn(domain.StatusClosed)
		assert.ErrorIs(t, tk.AddComment(stranger, "Привет", false, t0), domain.ErrForbidden)
		assert.Equal(t, domain.StatusClosed, tk.Status())
	})
}

func TestTicketChangeStatusRecordsHistoryAndEvent(t *testing.T) {
	tk := ticketIn(domain.StatusOpen)
	at := t0.Add(90 * time.Minute).In(time.FixedZone("MSK", 3*60*60))

	err := tk.ChangeStatus(staff, domain.StatusInProgress, "  Взяли в работу  ", at)

	require.NoError(t, err)
	assert.Equal(t, t0.Add(90*time.Minute), tk.UpdatedAt())
	assert.Equal(t, []domain.StatusChange{{
		ByID: staff.ID(), ByName: staff.Username(),
		From: domain.StatusOpen, To: domain.StatusInProgress,
		Comment: "Взяли в работу", At: t0.Add(90 * time.Minute),
	}}, tk.History())
	require.Len(t, tk.Events(), 1)
	ev, ok := tk.Events()[0].(domain.TicketStatusChanged)
	require.True(t, ok, "the event is %T", tk.Events()[0])
	assert.Equal(t, domain.TicketStatusChanged{
		TicketID: 10, OwnerID: owner.ID(), Title: "Пропал звук",
		From: "open", To: "in_progress", ByID: staff.ID(), ByName: staff.Username(),
		Comment: "Взяли в работу", At: t0.Add(90 * time.Minute),
	}, ev)
	assert.Equal(t, time.UTC, ev.At.Location())
	assert.Equal(t, "ticket:10", ev.StreamKey())
	assert.Equal(t, domain.KindTicketStatusChanged, ev.EventKind())
}

func TestTicketChangeStatusKeepsEveryStepInOrder(t *testing.T) {
	tk := ticketIn(domain.StatusOpen)

	require.NoError(t, tk.ChangeStatus(staff, domain.StatusInProgress, "", t0.Add(1*time.Minute)))
	require.NoError(t, tk.ChangeStatus(admin, domain.StatusClosed, "done", t0.Add(2*time.Minute)))
	require.NoError(t, tk.ChangeStatus(staff, domain.StatusOpen, "reopened", t0.Add(3*time.Minute)))

	var steps []string
	for _, h := range tk.History() {
		steps = append(steps, h.From.String()+"→"+h.To.String()+" by "+h.ByName)
	}
	assert.Equal(t, []string{"open→in_progress by staff", "in_progress→closed by admin", "closed→open by staff"}, steps)
	assert.Len(t, tk.Events(), 3)
}

func TestTicketChangeStatusCommentLength(t *testing.T) {
	tk := ticketIn(domain.StatusOpen)

	err := tk.ChangeStatus(staff, domain.StatusClosed, strings.Repeat("ж", 5001), t0)
	assert.Equal(t, domain.ValidationError{Field: "comment", Code: domain.CodeTooLong}, err)
	assert.Equal(t, domain.StatusOpen, tk.Status())

	require.NoError(t, tk.ChangeStatus(staff, domain.StatusClosed, strings.Repeat("ж", 5000), t0))
}

func TestTicketAddComment(t *testing.T) {
	tests := []struct {
		name     string
		status   domain.Status
		by       *domain.User
		text     string
		internal bool
		want     error // nil: the comment is added
	}{
		{"owner on an open ticket", domain.StatusOpen, owner, "Когда будет готово?", false, nil},
		{"owner on a ticket in progress", domain.StatusInProgress, owner, "Спасибо", false, nil},
		{"staff", domain.StatusOpen, staff, "Ждём запчасть", false, nil},
		{"staff internal note", domain.StatusOpen, staff, "Клиент уже звонил", true, nil},
		{"admin internal note", domain.StatusOpen, admin, "Проверить гарантию", true, nil},
		{"owner internal note", domain.StatusOpen, owner, "секрет", true, domain.ErrForbidden},
		{"stranger", domain.StatusOpen, stranger, "Привет", false, domain.ErrForbidden},
		{"empty", domain.StatusOpen, owner, "", false,
			domain.ValidationError{Field: "text", Code: domain.CodeRequired}},
		{"blank", domain.StatusOpen, staff, " \n\t ", false,
			domain.ValidationError{Field: "text", Code: domain.CodeRequired}},
		{"5000 characters", domain.StatusOpen, owner, strings.Repeat("ж", 5000), false, nil},
		{"5001 characters", domain.StatusOpen, owner, strings.Repeat("ж", 5001), false,
			domain.ValidationError{Field: "text", Code: domain.CodeTooLong}},
		{"staff on a closed ticket", domain.StatusClosed, staff, "Закрыто по просьбе клиента", false, nil},
		{"staff internal note on a closed ticket", domain.StatusClosed, staff, "Вернуть если позвонит", true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tk := ticketIn(tc.status)

			err := tk.AddComment(tc.by, tc.text, tc.internal, t0.Add(time.Hour))

			if tc.want != nil {
				assert.Equal(t, tc.want, err)
				assert.Empty(t, tk.Comments(), "nothing is added")
				assert.Empty(t, tk.Events(), "nothing is recorded")
				assert.Equal(t, t0, tk.UpdatedAt())
				return
			}
			require.NoError(t, err)
			require.Len(t, tk.Comments(), 1)
			assert.Equal(t, tc.internal, tk.Comments()[0].Internal)
			assert.Equal(t, t0.Add(time.Hour), tk.UpdatedAt())
			assert.Len(t, tk.Events(), 1)
		})
	}
}

func TestTicketAddCommentRecordsCommentAdded(t *testing.T) {
	tk := ticketIn(domain.StatusOpen)

	err := tk.AddComment(staff, "  Ждём запчасть  ", true, t0)

	require.NoError(t, err)
	assert.Equal(t, []domain.Comment{{
		AuthorID: staff.ID(), AuthorName: staff.Username(), Text: "Ждём запчасть", Internal: true, At: t0,
	}}, tk.Comments())
	assert.Equal(t, []domain.Event{domain.CommentAdded{
		TicketID: 10, OwnerID: owner.ID(), Title: "Пропал звук",
		AuthorID: staff.ID(), AuthorName: staff.Username(), Text: "Ждём запчасть", Internal: true, At: t0,
	}}, tk.Events())
}

func TestTicketVisibleComments(t *testing.T) {
	tk := ticketIn(domain.StatusOpen)
	require.NoError(t, tk.AddComment(owner, "вопрос", false, t0))
	require.NoError(t, tk.AddComment(staff, "заметка для своих", true, t0.Add(time.Minute)))
	require.NoError(t, tk.AddComment(staff, "ответ", false, t0.Add(2*time.Minute)))

	texts := func(cs []domain.Comment) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Text)
		}
		return out
	}
	assert.Equal(t, []string{"вопрос", "ответ"}, texts(tk.VisibleComments(owner)), "the owner never sees internal notes")
	assert.Equal(t, []string{"вопрос", "заметка для своих", "ответ"}, texts(tk.VisibleComments(staff)))
	assert.Equal(t, []string{"вопрос", "заметка для своих", "ответ"}, texts(tk.VisibleComments(admin)))
	assert.Len(t, tk.Comments(), 3, "Comments holds everything")
}

func TestTicketCanBeSeenBy(t *testing.T) {
	tk := ticketIn(domain.StatusOpen)

	assert.True(t, tk.CanBeSeenBy(owner))
	assert.True(t, tk.IsOwnedBy(owner))
	assert.False(t, tk.CanBeSeenBy(stranger))
	assert.False(t, tk.IsOwnedBy(staff))
	assert.True(t, tk.CanBeSeenBy(staff))
	assert.True(t, tk.CanBeSeenBy(admin))
}

func TestTicketAssign(t *testing.T) {
	inactiveStaff := domain.RehydrateUser(9, "gone", "hash", domain.RoleStaff, false, 0, "", t0)
	tests := []struct {
		name     string
		by       *domain.User
		assignee *domain.User
		want     error
	}{
		{"staff to another staff member", admin, staff, nil},
		{"staff to themself", staff, staff, nil},
		{"to an admin", staff, admin, nil},
		{"to a plain user", staff, stranger, domain.ValidationError{Field: "assignee", Code: domain.CodeNotStaff}},
		{"to inactive staff", staff, inactiveStaff, domain.ValidationError{Field: "assignee", Code: domain.CodeNotStaff}},
		{"by the owner", owner, staff, domain.ErrForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tk := ticketIn(domain.StatusOpen)

			err := tk.Assign(tc.by, tc.assignee, t0.Add(time.Hour))

			if tc.want != nil {
				assert.Equal(t, tc.want, err)
				assert.Zero(t, tk.AssigneeID())
				assert.Empty(t, tk.Events())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.assignee.ID(), tk.AssigneeID())
			assert.Equal(t, tc.assignee.Username(), tk.AssigneeName())
			assert.Equal(t, t0.Add(time.Hour), tk.UpdatedAt())
			assert.Equal(t, []domain.Event{domain.TicketAssigned{
				TicketID: 10, OwnerID: owner.ID(), AssigneeID: tc.assignee.ID(), AssigneeName: tc.assignee.Username(),
				ByID: tc.by.ID(), ByName: tc.by.Username(), At: t0.Add(time.Hour),
			}}, tk.Events())
		})
	}
}

func TestTicketUnassign(t *testing.T) {
	tk := domain.RehydrateTicket(10, owner.ID(), owner.Username(), "t", "x", domain.TypeRepair, domain.StatusOpen,
		staff.ID(), staff.Username(), t0, t0, nil, nil)

	require.NoError(t, tk.Assign(admin, nil, t0.Add(time.Minute)))

	assert.Zero(t, tk.AssigneeID())
	assert.Empty(t, tk.AssigneeName())
	assert.Equal(t, []domain.Event{domain.TicketAssigned{
		TicketID: 10, OwnerID: owner.ID(), ByID: admin.ID(), ByName: admin.Username(), At: t0.Add(time.Minute),
	}}, tk.Events())
}

func TestTicketAssignToTheSameAssigneeRecordsNothing(t *testing.T) {
	tk := ticketIn(domain.StatusOpen)
	require.NoError(t, tk.Assign(staff, nil, t0), "unassigning an unassigned ticket")
	require.NoError(t, tk.Assign(staff, staff, t0))
	require.NoError(t, tk.Assign(staff, staff, t0.Add(time.Hour)))

	assert.Len(t, tk.Events(), 1)
	assert.Equal(t, t0, tk.UpdatedAt())
}

func TestRehydrateTicketRecordsNoEvents(t *testing.T) {
	history := []domain.StatusChange{{ID: 1, ByID: staff.ID(), ByName: "staff", From: domain.StatusOpen, To: domain.StatusClosed, At: t0}}
	comments := []domain.Comment{{ID: 1, AuthorID: owner.ID(), AuthorName: "owner", Text: "hi", At: t0}}

	tk := domain.RehydrateTicket(10, owner.ID(), "owner", "t", "x", domain.TypeService, domain.StatusClosed,
		staff.ID(), "staff", t0, t0.Add(time.Hour), history, comments)

	assert.Equal(t, int64(10), tk.ID())
	assert.Equal(t, domain.StatusClosed, tk.Status())
	assert.Equal(t, domain.TypeService, tk.Type())
	assert.Equal(t, staff.ID(), tk.AssigneeID())
	assert.Equal(t, history, tk.History())
	assert.Equal(t, comments, tk.Comments())
	assert.Equal(t, t0.Add(time.Hour), tk.UpdatedAt())
	assert.Empty(t, tk.Events())
}

func TestTicketKeepsItsStateToItself(t *testing.T) {
	history := []domain.StatusChange{{ID: 1, ByID: staff.ID(), From: domain.StatusOpen, To: domain.StatusInProgress, Comment: "on it", At: t0}}
	comments := []domain.Comment{{ID: 1, AuthorID: owner.ID(), Text: "hello", At: t0}}
	tk := domain.RehydrateTicket(10, owner.ID(), owner.Username(), "Пропал звук", "Нет звука в наушниках",
		domain.TypeRepair, domain.StatusInProgress, 0, "", t0, t0, history, comments)
	require.NoError(t, tk.AddComment(staff, "a note", true, t0))

	history[0].Comment = "rewritten by the storage adapter"
	comments[0].Text = "rewritten by the storage adapter"
	tk.History()[0].Comment = "rewritten"
	tk.Comments()[0].Text = "rewritten"
	tk.VisibleComments(staff)[1].Text = "rewritten"
	_ = append(tk.History()[:0], domain.StatusChange{Comment: "appended"})
	_ = append(tk.Comments()[:1], domain.Comment{Text: "appended"})
	tk.Events()[0] = nil

	assert.Equal(t, "on it", tk.History()[0].Comment)
	require.Len(t, tk.Comments(), 2)
	assert.Equal(t, "hello", tk.Comments()[0].Text)
	assert.Equal(t, "a note", tk.Comments()[1].Text)
	require.Len(t, tk.Events(), 1)
	assert.IsType(t, domain.CommentAdded{}, tk.Events()[0])
}
