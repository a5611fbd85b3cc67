package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestPeopleWithoutTheRoleGet403(t *testing.T) {
	s := newSite(t)
	user, _ := s.loggedIn("owner", "user")
	staff, _ := s.loggedIn("helper", "staff")
	id := user.submit("Пропал звук", "text", "repair")
	target := s.createUser("target", "user")

	userDenied := []struct{ method, path string }{
		{"GET", "/admin/tickets"},
		{"GET", pathf("/admin/tickets/{id}", id)},
		{"POST", pathf("/admin/tickets/{id}/status", id)},
		{"POST", pathf("/admin/tickets/{id}/assign", id)},
		{"GET", "/admin/users"},
		{"POST", pathf("/admin/users/{id}/role", target.ID())},
		{"POST", pathf("/admin/users/{id}/active", target.ID())},
		{"GET", "/admin/audit"},
	}
	for _, rt := range userDenied {
		var r *response
		if rt.method == "GET" {
			r = user.get(rt.path)
		} else {
			r = user.post(rt.path, url.Values{"status": {"closed"}, "assignee": {"1"}, "role": {"admin"}, "active": {"false"}})
		}
		assert.Equal(t, http.StatusForbidden, r.status, "user: %s %s", rt.method, rt.path)
		assert.Contains(t, r.body, "Access denied")
	}
	for _, rt := range userDenied[4:] {
		var r *response
		if rt.method == "GET" {
			r = staff.get(rt.path)
		} else {
			r = staff.post(rt.path, url.Values{"role": {"admin"}, "active": {"false"}})
		}
		assert.Equal(t, http.StatusForbidden, r.status, "staff: %s %s", rt.method, rt.path)
	}
	got, err := s.store.Users.Get(context.Background(), target.ID())
	require.NoError(t, err)
	assert.Equal(t, domain.RoleUser, got.Role())
	assert.True(t, got.Active())
	tk, err := s.store.Tickets.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, domain.StatusOpen, tk.Status())
}

func TestStaffMovesATicketAndTheOwnerSeesTheHistory(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("owner", "user")
	staff, _ := s.loggedIn("helper", "staff")
	id := owner.submit("Пропал звук", "Нет звука", "repair")

	page := staff.get(pathf("/admin/tickets/{id}", id))
	require.Equal(t, http.StatusOK, page.status)
	assert.Contains(t, page.body, `value="in_progress"`)
	assert.Contains(t, page.body, `value="closed"`)
	assert.NotContains(t, page.body, `name="status" value="open"`, "only allowed transitions are offered")

	r := staff.post(pathf("/admin/tickets/{id}/status", id), url.Values{"status": {"in_progress"}, "comment": {"Ищем мастера"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.Contains(t, staff.follow(r).body, "Status of ticket #1 changed.")

	s.clock.Advance(2 * 60 * 60 * 1e9)
	view := owner.get(pathf("/tickets/{id}", id))
	require.Equal(t, http.StatusOK, view.status)
	assert.Contains(t, view.body, "helper changed the status:")
	assert.Contains(t, view.body, `<span class="badge badge-open">Open</span> <span aria-hidden="true">→</span>`)
	assert.Contains(t, view.body, `<span class="badge badge-in_progress">In progress</span>`)
	assert.Contains(t, view.body, "Ищем мастера")
	assert.Contains(t, view.body, "2 hours ago")

	// in_progress → open is not a transition; neither is a made-up status.
	r = staff.post(pathf("/admin/tickets/{id}/status", id), url.Values{"status": {"open"}, "comment": {"назад"}})
	assert.Equal(t, http.StatusConflict, r.status)
	assert.Contains(t, r.body, "cannot move to that status")
	assert.Contains(t, r.body, "назад", "the comment typed is kept")
	r = staff.post(pathf("/admin/tickets/{id}/status", id), url.Values{"status": {"lost"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Contains(t, r.body, "Choose one of the offered statuses.")
	r = staff.post(pathf("/admin/tickets/{id}/status", 999), url.Values{"status": {"closed"}})
	assert.Equal(t, http.StatusNotFound, r.status)

	tk, err := s.store.Tickets.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, domain.StatusInProgress, tk.Status())
	assert.Len(t, tk.History(), 1, "refused changes leave no trace")
}

func TestTheOwnersCommentReopensAClosedTicket(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("owner", "user")
	staff, _ := s.loggedIn("helper", "staff")
	id := owner.submit("Экран часов", "Разбит", "service")
	r := staff.post(pathf("/admin/tickets/{id}/status", id), url.Values{"status": {"closed"}})
	require.Equal(t, http.StatusSeeOther, r.status)

	view := owner.get(pathf("/tickets/{id}", id))
	assert.Contains(t, view.body, "If the problem is back, write a comment: it reopens the ticket.")
	assert.Contains(t, view.body, `action="/tickets/1/comments"`)
	assert.Contains(t, view.body, "Send and reopen")

	r = owner.post(pathf("/tickets/{id}/comments", id), url.Values{"text": {"А я ещё хотел"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	tk, err := s.store.Tickets.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, domain.StatusOpen, tk.Status())
	assert.Len(t, tk.Comments(), 1)
	page := owner.follow(r)
	assert.Contains(t, page.body, "Reopened by the owner&#39;s reply (owner):")
	assert.Contains(t, page.body, "data-reopened-by-reply")
}

func TestStaffAssignTickets(t *testing.T) {
	s := newSite(t)
	owner, ownerUser := s.loggedIn("owner", "user")
	staff, staffUser := s.loggedIn("helper", "staff")
	other := s.createUser("second", "staff")
	id := owner.submit("Пропал звук", "Нет звука", "repair")

	page := staff.get(pathf("/admin/tickets/{id}", id))
	assert.Contains(t, page.body, fmt.Sprintf(`<option value="%d">second (Staff)</option>`, other.ID()))
	assert.Contains(t, page.body, "Assign to me")

	r := staff.post(pathf("/admin/tickets/{id}/assign", id), url.Values{"assignee": {strconv.FormatInt(staffUser.ID(), 10)}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	page = staff.follow(r)
	assert.Contains(t, page.body, "Ticket #1 assigned.")
	assert.NotContains(t, page.body, "Assign to me")

	mine := staff.get("/admin/tickets?assignee=mine")
	assert.Contains(t, mine.body, "Пропал звук")
	assert.Contains(t, mine.body, `<option value="mine" selected>`)
	unassigned := staff.get("/admin/tickets?assignee=unassigned")
	assert.NotContains(t, unassigned.body, "Пропал звук")

	for _, bad := range []string{strconv.FormatInt(ownerUser.ID(), 10), "999", "abc"} {
		r = staff.post(pathf("/admin/tickets/{id}/assign", id), url.Values{"assignee": {bad}})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, bad)
		assert.Contains(t, r.body, `id="assignee-error"`, bad)
	}
	r = staff.post(pathf("/admin/tickets/{id}/assign", id), url.Values{"assignee": {""}})
	require.Equal(t, http.StatusSeeOther, r.status)
	tk, err := s.store.Tickets.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Zero(t, tk.AssigneeID())
}

func TestTheQueueFiltersCountsAndPages(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("owner", "user")
	staff, _ := s.loggedIn("helper", "staff")
	for i := 1; i <= 25; i++ {
		typ := "repair"
		if i%5 == 0 {
			typ = "service"
		}
		owner.submit(fmt.Sprintf("Заявка %02d", i), "text", typ)
	}
	staff.post("/admin/tickets/3/status", url.Values{"status": {"closed"}})

	first := staff.get("/admin/tickets")
	require.Equal(t, http.StatusOK, first.status)
	assert.Contains(t, first.body, "Заявка 25")
	assert.NotContains(t, first.body, "Заявка 05", "20 a page, newest first")
	assert.Contains(t, first.body, "25 tickets match")
	assert.Contains(t, first.body, `All <span class="count">25</span>`)
	assert.Contains(t, first.body, `Open <span class="count">24</span>`)
	assert.Contains(t, first.body, `Closed <span class="count">1</span>`)
	assert.Contains(t, first.body, `href="/admin/tickets?before=6" rel="next"`)

	older := staff.get("/admin/tickets?before=6")
	assert.Contains(t, older.body, "Заявка 05")
	assert.Contains(t, older.body, "Заявка 01")
	assert.NotContains(t, older.body, "Заявка 06")
	assert.Contains(t, older.body, `<a href="/admin/tickets">Newest</a>`)

	filtered := staff.get("/admin/tickets?type=service&q=" + url.QueryEscape("заявка"))
	assert.Contains(t, filtered.body, "5 tickets match")
	assert.Contains(t, filtered.body, `<option value="service" selected>`)
	assert.Contains(t, filtered.body, `value="заявка"`, "filters stay in the form")
	assert.Contains(t, filtered.body, `href="/admin/tickets?q=%D0%B7%D0%B0%D1%8F%D0%B2%D0%BA%D0%B0&amp;status=open&amp;type=service"`,
		"status links keep the other filters")

	none := staff.get("/admin/tickets?q=nothing-like-this")
	assert.Contains(t, none.body, "No tickets match these filters.")

	bad := staff.get("/admin/tickets?status=lost")
	assert.Equal(t, http.StatusUnprocessableEntity, bad.status)
	assert.Contains(t, bad.body, "Choose one of the offered statuses.")

	// The table links each ticket to its staff page.
	assert.Contains(t, first.body, `<a href="/admin/tickets/25">Заявка 25</a>`)
}

func TestAdminManagesUsers(t *testing.T) {
	s := newSite(t)
	admin, adminUser := s.loggedIn("boss", "admin")
	person, u := s.loggedIn("person", "user")

	assert.Equal(t, http.StatusForbidden, person.get("/admin/tickets").status)

	list := admin.get("/admin/users?q=pers")
	require.Equal(t, http.StatusOK, list.status)
	assert.Contains(t, list.body, "person")
	assert.NotContains(t, list.body, ">boss<")

	r := admin.post(pathf("/admin/users/{id}/role", u.ID()), url.Values{"role": {"staff"}, "next": {"/admin/users?q=pers"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.Equal(t, "/admin/users?q=pers", r.location)
	assert.Contains(t, admin.follow(r).body, fmt.Sprintf("The role of user #%d was changed.", u.ID()))
	assert.Equal(t, http.StatusOK, person.get("/admin/tickets").status, "the new role applies on the next request")

	r = admin.post(pathf("/admin/users/{id}/role", u.ID()), url.Values{"role": {"emperor"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Contains(t, r.body, "Choose one of the roles.")
	r = admin.post(pathf("/admin/users/{id}/role", 999), url.Values{"role": {"staff"}})
	assert.Equal(t, http.StatusNotFound, r.status)

	r = admin.post(pathf("/admin/users/{id}/role", adminUser.ID()), url.Values{"role": {"user"}})
	assert.Equal(t, http.StatusConflict, r.status)
	assert.Contains(t, r.body, "without an active admin")
	r = admin.post(pathf("/admin/users/{id}/active", adminUser.ID()), url.Values{"active": {"false"}})
	assert.Equal(t, http.StatusConflict, r.status)

	r = admin.post(pathf("/admin/users/{id}/active", u.ID()), url.Values{"active": {"maybe"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status)

	audit := admin.get("/admin/audit")
	require.Equal(t, http.StatusOK, audit.status)
	assert.Contains(t, audit.body, "changed the role of person from User to Staff")
}

func TestDeactivationLogsThePersonOut(t *testing.T) {
	s := newSite(t)
	admin, _ := s.loggedIn("boss", "admin")
	person, u := s.loggedIn("person", "user")
	require.Equal(t, http.StatusOK, person.get("/tickets").status)

	r := admin.post(pathf("/admin/users/{id}/active", u.ID()), url.Values{"active": {"false"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.Contains(t, admin.follow(r).body, "deactivated and logged out")

	r = person.get("/tickets")
	assert.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, "/login?next=%2Ftickets", r.location)
	assert.Empty(t, person.cookie(sessionCookie), "the dead session's cookie is deleted")

	r = person.post("/login", url.Values{"username": {"person"}, "password": {"person-secret"}})
	assert.Equal(t, http.StatusForbidden, r.status)
	assert.Contains(t, r.body, "This account has been deactivated.")

	r = admin.post(pathf("/admin/users/{id}/active", u.ID()), url.Values{"active": {"true"}})
	require.Equal(t, http.StatusSeeOther, r.status)
	person.logIn("person", "person-secret")

	audit := admin.get("/admin/audit")
	assert.Contains(t, audit.body, "deactivated person")
	assert.Contains(t, audit.body, "reactivated person")

	got, err := s.app.ListUsers.Handle(context.Background(), application.ListUsers{Actor: mustUser(t, s, "boss")})
	require.NoError(t, err)
	assert.Equal(t, 2, got.Total)
}

func mustUser(t *testing.T, s *site, name string) *domain.User {
	t.Helper()
	u, err := s.store.Users.GetByUsername(context.Background(), name)
	require.NoError(t, err)
	return u
}
