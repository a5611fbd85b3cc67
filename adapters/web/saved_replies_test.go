package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStaffKeepSavedRepliesAndInsertThemWithoutJavaScript(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("Анна", "user")
	alice, _ := s.loggedIn("alice", "staff")
	bob, _ := s.loggedIn("bob", "staff")
	id := owner.submit("Не печатает", "Совсем", "repair")

	r := alice.post("/admin/replies", url.Values{"name": {"Приветствие"}, "text": {"Здравствуйте, {owner}!\r\nЗаявка {ticket} принята."}, "shared": {"true"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	page := alice.follow(r)
	assert.Contains(t, page.body, "Reply saved.")
	assert.Contains(t, page.body, "Приветствие")
	r = alice.post("/admin/replies", url.Values{"name": {"Личное"}, "text": {"Только моё"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)

	ticket := bob.get(pathf("/admin/tickets/{id}", id))
	assert.Contains(t, ticket.body, `<option value="1" data-text="Здравствуйте, Анна!`+"\n"+`Заявка 1 принята.">Приветствие</option>`)
	assert.NotContains(t, ticket.body, "Личное", "a colleague's personal reply is not offered")
	assert.Contains(t, ticket.body, `formaction="/admin/tickets/1#comment-text" formmethod="get"`)

	inserted := bob.get(pathf("/admin/tickets/{id}", id) + "?reply=1&text=" + url.QueryEscape("Уже набрано  \r\n") + "&internal=true")
	require.Equal(t, http.StatusOK, inserted.status, inserted.body)
	assert.Contains(t, inserted.body, ">Уже набрано\n\nЗдравствуйте, Анна!\nЗаявка 1 принята.</textarea>", "typed text kept, reply filled after it")
	assert.Contains(t, inserted.body, `name="internal" value="true" checked`)
	assert.Equal(t, http.StatusNotFound, bob.get(pathf("/admin/tickets/{id}", id)+"?reply=2").status, "not bob's to use")
	assert.Equal(t, http.StatusNotFound, bob.get("/admin/replies/2").status)
	assert.Equal(t, http.StatusNotFound, bob.post("/admin/replies/2", url.Values{"name": {"x"}, "text": {"y"}}).status)
	assert.Equal(t, http.StatusNotFound, bob.post("/admin/replies/2/delete", nil).status)
	assert.Equal(t, http.StatusForbidden, bob.get("/admin/replies/1").status, "a shared reply is used, not changed, by colleagues")
	assert.Equal(t, http.StatusForbidden, bob.post("/admin/replies/1/delete", nil).status)

	r = alice.post("/admin/replies/2", url.Values{"name": {"Личное, новое"}, "text": {"Для {owner}"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.Contains(t, alice.follow(r).body, "Личное, новое")
	r = alice.post("/admin/replies/2/delete", nil)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.NotContains(t, alice.follow(r).body, "Личное, новое")
}

func TestBadSavedRepliesAreShownAgainWithTheReasons(t *testing.T) {
	s := newSite(t)
	alice, _ := s.loggedIn("alice", "staff")
	r := alice.post("/admin/replies", url.Values{"name": {"Привет"}, "text": {"x"}, "shared": {"true"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)

	for name, c := range map[string]struct {
		form url.Values
		want string
	}{
		"empty":               {url.Values{"name": {" "}, "text": {""}}, "Give the reply a name."},
		"too long":            {url.Values{"name": {strings.Repeat("я", 101)}, "text": {"x"}}, "at most 100 characters"},
		"unknown placeholder": {url.Values{"name": {"n"}, "text": {"Hello {name}"}}, "The text has {name}, which is not a placeholder. Use only {owner} and {ticket}."},
		"taken in any case":   {url.Values{"name": {"ПРИВЕТ"}, "text": {"x"}, "shared": {"true"}}, "A reply of this name already exists here"},
		"control characters":  {url.Values{"name": {"n"}, "text": {"a\x00b"}}, "control characters"},
	} {
		t.Run(name, func(t *testing.T) {
			r := alice.post("/admin/replies", c.form)
			assert.Equal(t, http.StatusUnprocessableEntity, r.status)
			assert.Contains(t, r.body, esc(c.want))
			assert.Contains(t, r.body, `value="`+esc(c.form.Get("name"))+`"`, "the values typed come back")
		})
	}
	alice.language = "ru"
	r = alice.post("/admin/replies", url.Values{"name": {"n"}, "text": {"Привет, {имя}"}})
	assert.Contains(t, r.body, "В тексте есть {имя} — такой подстановки нет. Используйте только {owner} и {ticket}.")
	page := alice.get("/admin/replies")
	assert.Equal(t, 1, strings.Count(page.body, `<tr id="reply-`), "nothing was saved")
}
