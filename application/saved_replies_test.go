package application_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestSavedRepliesAreSharedOrPersonal(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleStaff)
	bob := e.user(t, "bob", domain.RoleStaff)
	owner := e.user(t, "Анна", domain.RoleUser)

	shared, err := e.CreateSavedReply.Handle(e.ctx, application.CreateSavedReply{
		Actor: alice, Name: "Приветствие", Text: "Здравствуйте, {owner}! Заявка {ticket} принята.", Shared: true})
	require.NoError(t, err)
	mine, err := e.CreateSavedReply.Handle(e.ctx, application.CreateSavedReply{
		Actor: alice, Name: "Моя заготовка", Text: "Только для меня"})
	require.NoError(t, err)
	_, err = e.CreateSavedReply.Handle(e.ctx, application.CreateSavedReply{
		Actor: bob, Name: "Моя заготовка", Text: "У Боба своя"})
	require.NoError(t, err, "personal names are per author")

	list, err := e.ListSavedReplies.Handle(e.ctx, application.ListSavedReplies{Actor: bob})
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "У Боба своя", list[0].Text, "bob sees his own")
	assert.Equal(t, shared.ID, list[1].ID, "and the shared one")

	tk := e.ticket(t, owner, "Не работает")
	text, err := e.FillSavedReply.Handle(e.ctx, application.FillSavedReply{Actor: bob, ReplyID: shared.ID, TicketID: tk.ID()})
	require.NoError(t, err)
	assert.Equal(t, "Здравствуйте, Анна! Заявка "+itoa(tk.ID())+" принята.", text)

	_, err = e.FillSavedReply.Handle(e.ctx, application.FillSavedReply{Actor: bob, ReplyID: mine.ID, TicketID: tk.ID()})
	assert.ErrorIs(t, err, domain.ErrSavedReplyNotFound, "a colleague's personal reply is not there")
	_, err = e.GetSavedReply.Handle(e.ctx, application.GetSavedReply{Actor: bob, ID: mine.ID})
	assert.ErrorIs(t, err, domain.ErrSavedReplyNotFound)
	_, err = e.FillSavedReply.Handle(e.ctx, application.FillSavedReply{Actor: bob, ReplyID: shared.ID, TicketID: 999})
	assert.ErrorIs(t, err, domain.ErrTicketNotFound)
}

func TestWhoMayChangeASavedReply(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleStaff)
	bob := e.user(t, "bob", domain.RoleStaff)
	boss := e.user(t, "boss", domain.RoleAdmin)
	user := e.user(t, "user", domain.RoleUser)
	shared, err := e.CreateSavedReply.Handle(e.ctx, application.CreateSavedReply{Actor: alice, Name: "Общий", Text: "x", Shared: true})
	require.NoError(t, err)
	mine, err := e.CreateSavedReply.Handle(e.ctx, application.CreateSavedReply{Actor: alice, Name: "Личный", Text: "x"})
	require.NoError(t, err)
	edit := func(actor *domain.User, id int64, shared bool) error {
		return e.EditSavedReply.Handle(e.ctx, application.EditSavedReply{Actor: actor, ID: id, Name: "Новое имя", Text: "y", Shared: shared})
	}

	assert.ErrorIs(t, edit(bob, shared.ID, true), domain.ErrForbidden, "a colleague uses a shared reply but does not change it")
	assert.ErrorIs(t, edit(bob, mine.ID, false), domain.ErrSavedReplyNotFound, "nor sees a personal one")
	assert.ErrorIs(t, edit(boss, mine.ID, false), domain.ErrSavedReplyNotFound, "not even an admin")
	assert.ErrorIs(t, edit(boss, shared.ID, false), domain.ErrForbidden, "an admin cannot make another's reply personal")
	assert.ErrorIs(t, edit(user, shared.ID, true), domain.ErrForbidden)
	assert.ErrorIs(t, e.DeleteSavedReply.Handle(e.ctx, application.DeleteSavedReply{Actor: bob, ID: shared.ID}), domain.ErrForbidden)
	assert.ErrorIs(t, e.DeleteSavedReply.Handle(e.ctx, application.DeleteSavedReply{Actor: bob, ID: mine.ID}), domain.ErrSavedReplyNotFound)
	got, err := e.GetSavedReply.Handle(e.ctx, application.GetSavedReply{Actor: alice, ID: shared.ID})
	require.NoError(t, err)
	assert.Equal(t, "Общий", got.Name, "nothing changed")

	require.NoError(t, edit(boss, shared.ID, true), "an admin changes any shared reply")
	require.NoError(t, edit(alice, mine.ID, false))
	got, err = e.GetSavedReply.Handle(e.ctx, application.GetSavedReply{Actor: alice, ID: mine.ID})
	require.NoError(t, err)
	assert.Equal(t, "Новое имя", got.Name)
	require.NoError(t, e.DeleteSavedReply.Handle(e.ctx, application.DeleteSavedReply{Actor: boss, ID: shared.ID}))
	require.NoError(t, e.DeleteSavedReply.Handle(e.ctx, application.DeleteSavedReply{Actor: alice, ID: mine.ID}))
	list, err := e.ListSavedReplies.Handle(e.ctx, application.ListSavedReplies{Actor: alice})
	require.NoError(t, err)
	assert.Empty(t, list)
	_, err = e.ListSavedReplies.Handle(e.ctx, application.ListSavedReplies{Actor: user})
	assert.ErrorIs(t, err, domain.ErrForbidden)
}

func TestBadSavedRepliesAreRefusedAndNothingIsSaved(t *testing.T) {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleStaff)
	_, err := e.CreateSavedReply.Handle(e.ctx, application.CreateSavedReply{Actor: alice, Name: "Имя", Text: "x", Shared: true})
	require.NoError(t, err)
	for name, c := range map[string]struct {
		cmd  application.CreateSavedReply
		want error
	}{
		"empty":               {application.CreateSavedReply{Name: "", Text: ""}, domain.ValidationErrors{{Field: "name", Code: domain.CodeRequired}, {Field: "text", Code: domain.CodeRequired}}},
		"unknown placeholder": {application.CreateSavedReply{Name: "n", Text: "Hi {name}"}, domain.ValidationErrors{{Field: "text", Code: domain.CodeUnknownPlaceholder}}},
		"taken, in any case":  {application.CreateSavedReply{Name: "ИМЯ", Text: "x", Shared: true}, domain.ErrSavedReplyNameTaken},
	} {
		t.Run(name, func(t *testing.T) {
			c.cmd.Actor = alice
			_, err := e.CreateSavedReply.Handle(e.ctx, c.cmd)
			if _, ok := c.want.(domain.ValidationErrors); ok {
				assert.Equal(t, c.want, err)
			} else {
				assert.ErrorIs(t, err, c.want)
			}
		})
	}
	list, err := e.ListSavedReplies.Handle(e.ctx, application.ListSavedReplies{Actor: alice})
	require.NoError(t, err)
	assert.Len(t, list, 1)
}
