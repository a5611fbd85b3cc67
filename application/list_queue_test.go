package application_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestListQueueIsForStaffOnly(t *testing.T) {
	e := newEnv(t)
	user := e.user(t, "user", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	admin := e.user(t, "admin", domain.RoleAdmin)
	e.ticket(t, user, "t")

	_, err := e.ListQueue.Handle(e.ctx, application.ListQueue{Actor: user})
	assert.ErrorIs(t, err, domain.ErrForbidden)

	for _, actor := range []*domain.User{staff, admin} {
		page, err := e.ListQueue.Handle(e.ctx, application.ListQueue{Actor: actor})
		require.NoError(t, err)
		assert.Equal(t, 1, page.Total)
	}
}

// queueFixture is a queue of five tickets:
//
//	#1 "Пропал звук"  by alice, repair,       open,        assigned to staff
//	#2 "Экран часов"  by alice, service,      in_progress, assigned to other
//	#3 "Компенсация"  by bob,   consultation, closed,      unassigned
//	#4 "Не включается" by bob,  repair,       in_progress, unassigned
//	#5 "Нет звука"    by carol, service,      open,        assigned to staff
type queueFixture struct {
	*env
	staff, other *domain.User
}

func newQueueFixture(t *testing.T) queueFixture {
	e := newEnv(t)
	alice := e.user(t, "alice", domain.RoleUser)
	bob := e.user(t, "bob", domain.RoleUser)
	carol := e.user(t, "Carol", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	other := e.user(t, "other", domain.RoleStaff)

	rows := []struct {
		owner    *domain.User
		title    string
		typ      string
		status   []string
		assignee *domain.User
	}{
		{alice, "Пропал звук", "repair", nil, staff},
		{alice, "Экран часов", "service", []string{"in_progress"}, other},
		{bob, "Компенсация", "consultation", []string{"closed"}, nil},
		{bob, "Не включается", "repair", []string{"in_progress"}, nil},
		{carol, "Нет звука", "service", nil, staff},
	}
	for _, r := range rows {
		tk := e.ticketOfType(t, r.owner, r.title, r.typ)
		for _, st := range r.status {
			require.NoError(t, e.ChangeStatus.Handle(e.ctx, application.ChangeStatus{Actor: staff, TicketID: tk.ID(), Status: st}))
		}
		if r.assignee != nil {
			require.NoError(t, e.AssignTicket.Handle(e.ctx, application.AssignTicket{Actor: staff, TicketID: tk.ID(), AssigneeID: r.assignee.ID()}))
		}
	}
	return queueFixture{env: e, staff: staff, other: other}
}

func TestListQueueFilters(t *testing.T) {
	f := newQueueFixture(t)

	tests := []struct {
		name string
		q    application.ListQueue
		want []string
	}{
		{"everything, newest first", application.ListQueue{},
			[]string{"Нет звука", "Не включается", "Компенсация", "Экран часов", "Пропал звук"}},
		{"status", application.ListQueue{Status: "in_progress"},
			[]string{"Не включается", "Экран часов"}},
		{"type", application.ListQueue{Type: "repair"},
			[]string{"Не включается", "Пропал звук"}},
		{"unassigned", application.ListQueue{Assignee: "unassigned"},
			[]string{"Не включается", "Компенсация"}},
		{"mine", application.ListQueue{Assignee: "mine"},
			[]string{"Нет звука", "Пропал звук"}},
		{"a staff member by id", application.ListQueue{Assignee: strconv.FormatInt(f.other.ID(), 10)},
			[]string{"Экран часов"}},
		{"q in the title, any case", application.ListQueue{Query: "ЗВУК"},
			[]string{"Нет звука", "Пропал звук"}},
		{"q in the text", application.ListQueue{Query: "text of Компенсация"},
			[]string{"Компенсация"}},
		{"q in the owner's username, any case", application.ListQueue{Query: "carol"},
			[]string{"Нет звука"}},
		{"q matching nothing", application.ListQueue{Query: "холодильник"},
			[]string{}},
		{"filters combine", application.ListQueue{Status: "open", Type: "service", Assignee: "mine", Query: "звук"},
			[]string{"Нет звука"}},
		{"combined filters that exclude each other", application.ListQueue{Status: "closed", Type: "repair"},
			[]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Actor = f.staff

			page, err := f.ListQueue.Handle(f.ctx, tc.q)

			require.NoError(t, err)
			assert.Equal(t, tc.want, titles(page.Tickets))
			assert.Equal(t, len(tc.want), page.Total)
		})
	}
}

func TestListQueueMineIsTheActorsOwn(t *testing.T) {
	f := newQueueFixture(t)

	page, err := f.ListQueue.Handle(f.ctx, application.ListQueue{Actor: f.other, Assignee: "mine"})

	require.NoError(t, err)
	assert.Equal(t, []string{"Экран часов"}, titles(page.Tickets))
}

func TestListQueueCountsPerStatusIgnoreTheStatusFilter(t *testing.T) {
	f := newQueueFixture(t)

	page, err := f.ListQueue.Handle(f.ctx, application.ListQueue{Actor: f.staff, Status: "open", Type: "repair"})

	require.NoError(t, err)
	assert.Equal(t, map[domain.Status]int{domain.StatusOpen: 1, domain.StatusInProgress: 1}, page.ByStatus)
	assert.Equal(t, []string{"Пропал звук"}, titles(page.Tickets))
}

func TestListQueueRefusesFilterValuesThatDoNotExist(t *testing.T) {
	f := newQueueFixture(t)

	tests := []struct {
		name string
		q    application.ListQueue
		want domain.ValidationError
	}{
		{"status", application.ListQueue{Status: "done"}, domain.ValidationError{Field: "status", Code: domain.CodeInvalid}},
		{"type", application.ListQueue{Type: "complaint"}, domain.ValidationError{Field: "type", Code: domain.CodeInvalid}},
		{"assignee word", application.ListQueue{Assignee: "somebody"}, domain.ValidationError{Field: "assignee", Code: domain.CodeInvalid}},
		{"assignee zero", application.ListQueue{Assignee: "0"}, domain.ValidationError{Field: "assignee", Code: domain.CodeInvalid}},
		{"assignee negative", application.ListQueue{Assignee: "-1"}, domain.ValidationError{Field: "assignee", Code: domain.CodeInvalid}},
		{"assignee in the wrong case", application.ListQueue{Assignee: "Mine"}, domain.ValidationError{Field: "assignee", Code: domain.CodeInvalid}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Actor = f.staff

			_, err := f.ListQueue.Handle(f.ctx, tc.q)

			requireValidation(t, err, tc.want)
		})
	}
}

func TestListQueuePaginatesWhileTicketsArrive(t *testing.T) {
	e := newEnv(t)
	user := e.user(t, "user", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	for i := 1; i <= 5; i++ {
		e.ticket(t, user, fmt.Sprintf("t%d", i))
	}

	first, err := e.ListQueue.Handle(e.ctx, application.ListQueue{Actor: staff, Page: application.Page{Limit: 2}})
	require.NoError(t, err)
	require.Equal(t, []string{"t5", "t4"}, titles(first.Tickets))
	e.ticket(t, user, "t6")
	second, err := e.ListQueue.Handle(e.ctx, application.ListQueue{Actor: staff, Page: application.Page{Before: first.Next, Limit: 2}})
	require.NoError(t, err)
	third, err := e.ListQueue.Handle(e.ctx, application.ListQueue{Actor: staff, Page: application.Page{Before: second.Next, Limit: 2}})
	require.NoError(t, err)

	assert.Equal(t, []string{"t3", "t2"}, titles(second.Tickets))
	assert.Equal(t, []string{"t1"}, titles(third.Tickets))
	assert.Zero(t, third.Next, "the last page says so")
}

func TestListStaff(t *testing.T) {
	e := newEnv(t)
	user := e.user(t, "user", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	admin := e.user(t, "admin", domain.RoleAdmin)
	gone := e.user(t, "gone", domain.RoleStaff)
	require.NoError(t, e.SetUserActive.Handle(e.ctx, application.SetUserActive{Actor: admin, UserID: gone.ID(), Active: false}))

	_, err := e.ListStaff.Handle(e.ctx, application.ListStaff{Actor: user})
	assert.ErrorIs(t, err, domain.ErrForbidden)

	list, err := e.ListStaff.Handle(e.ctx, application.ListStaff{Actor: staff})
	require.NoError(t, err)
	assert.Equal(t, []string{"admin", "staff"}, usernames(list), "active staff and admins only")
}
