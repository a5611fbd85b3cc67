package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRussianFromAcceptLanguage(t *testing.T) {
	s := newSite(t)
	b, _ := s.loggedIn("owner", "user")
	b.language = "ru-RU,ru;q=0.9,en;q=0.5"

	list := b.get("/tickets")
	require.Equal(t, http.StatusOK, list.status)
	assert.Contains(t, list.body, `<html lang="ru">`)
	assert.Contains(t, list.body, "Мои заявки")
	assert.Contains(t, list.body, "Заявок пока нет.")
	assert.Equal(t, "ru", list.header.Get("Content-Language"))

	r := b.post("/tickets", url.Values{"title": {""}, "text": {"Нет звука"}, "type": {"repair"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Contains(t, r.body, "Введите заголовок.")
	assert.Contains(t, r.body, "Нет звука")

	id := b.submit("Пропал звук", "Нет звука", "repair")
	view := b.get(pathf("/tickets/{id}", id))
	assert.Contains(t, view.body, "Заявка №1 отправлена.")
	assert.Contains(t, view.body, `<span class="badge badge-open">Открыта</span>`)
	assert.Contains(t, view.body, "Ремонт")
	assert.Contains(t, view.body, "только что")

	s.clock.Advance(5 * 3600e9)
	assert.Contains(t, b.get("/tickets").body, "5 часов назад")
	s.clock.Advance(17 * 3600e9) // 22 hours
	assert.Contains(t, b.get("/tickets").body, "22 часа назад")

	b.language = "de-DE,fr;q=0.8"
	assert.Contains(t, b.get("/tickets").body, `<html lang="en">`, "no match falls back to English")
}

func TestTheAccountChoiceBeatsTheBrowser(t *testing.T) {
	s := newSite(t)
	b, u := s.loggedIn("owner", "user")
	b.language = "en-US"

	r := b.post("/account/language", url.Values{"language": {"ru"}, "next": {"/account"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.Equal(t, "/account", r.location)
	page := b.follow(r)
	assert.Contains(t, page.body, `<html lang="ru">`)
	assert.Contains(t, page.body, "Язык сохранён.")
	assert.Equal(t, "ru", mustUser(t, s, u.Username()).Language(), "kept on the account")

	// Another browser, with English preferred and no cookie, still gets Russian.
	other := s.browser()
	other.language = "en"
	other.logIn("owner", "owner-secret")
	assert.Contains(t, other.get("/tickets").body, `<html lang="ru">`)

	// Back to automatic: the browser decides again.
	r = b.post("/account/language", url.Values{"language": {""}, "next": {"/account"}})
	require.Equal(t, http.StatusSeeOther, r.status)
	assert.Contains(t, b.get("/account").body, `<html lang="en">`)

	r = b.post("/account/language", url.Values{"language": {"xx"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status)
}

func TestAnonymousVisitorsCanSwitchLanguage(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	r := b.post("/account/language", url.Values{"language": {"ru"}, "next": {"/login?next=%2Ftickets"}})
	require.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, "/login?next=%2Ftickets", r.location)
	login := b.follow(r)
	assert.Contains(t, login.body, `<html lang="ru">`)
	assert.Contains(t, login.body, "Вход")

	r = b.post("/account/language", url.Values{"language": {"ru"}, "next": {"//evil.example"}})
	assert.Equal(t, "/", r.location)
	r = b.post("/account/language", url.Values{"language": {"klingon"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status)
}
