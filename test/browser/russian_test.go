package browser

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A browser set to Russian gets the whole desk in Russian — pages, form
// errors, flash messages, statuses and types — with <html lang="ru">.
func TestBrowserRussianInterface(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	tb := openTab(t, a, "ivan").acceptLanguage("ru-RU,ru,en")

	tb.open("/")
	assert.Equal(t, "ru", tb.lang())
	assert.Equal(t, "Попросите о помощи и следите за своей заявкой", tb.text("h1"))
	assert.Equal(t, []string{"Войти", "Регистрация"}, tb.texts(".site-nav li"))
	tb.screenshot("home-ru")

	require.EqualValues(t, http.StatusOK, tb.follow("Регистрация"))
	assert.Equal(t, "Регистрация", tb.text("h1"))
	tb.fill("Имя пользователя", "иван_петров")
	tb.fill("Пароль", "12345678")
	tb.fill("Повторите пароль", "12345678")
	tb.press("Создать аккаунт")
	assert.Equal(t, "/register", tb.path())
	assert.Equal(t, "ru", tb.lang())
	assert.Equal(t, "Исправьте отмеченные поля.", tb.text(".alert"))
	assert.Equal(t, "Пароль не может состоять только из цифр.", tb.text("#password-error"))
	tb.screenshot("register-error-ru")

	tb.fill("Пароль", "звёздный-пароль")
	tb.fill("Повторите пароль", "звёздный-пароль")
	require.EqualValues(t, http.StatusOK, tb.press("Создать аккаунт"))
	assert.Equal(t, "/tickets/new", tb.path())
	assert.Equal(t, "Добро пожаловать! Ваш аккаунт создан.", tb.text(".flash"))
	assert.Equal(t, "Новая заявка", tb.text("h1"))

	tb.fill("Заголовок", "Пропал звук")
	tb.choose("Тип", "Ремонт")
	tb.fill("Описание", "После обновления телефон не воспроизводит звук.")
	require.EqualValues(t, http.StatusOK, tb.press("Отправить заявку"))
	require.Regexp(t, `^/tickets/\d+$`, tb.path())
	id := tb.path()[len("/tickets/"):]
	assert.Equal(t, "ru", tb.lang())
	assert.Equal(t, "Заявка №"+id+" отправлена. Следите за ней здесь.", tb.text(".flash"))
	assert.Equal(t, []string{"Статус", "Тип", "Автор", "Исполнитель", "Создана", "Обновлена"}, tb.texts(".facts dt"))
	assert.Equal(t, []string{"Открыта", "Ремонт", "иван_петров", "Не назначен"}, tb.texts(".facts dd")[:4])
	assert.Equal(t, "Заявка №"+id+" · Служба заявок", runJS[string](tb, "document.title"))
	tb.screenshot("ticket-ru", "ticket-ru")

	tb.open("/tickets")
	assert.Equal(t, "Мои заявки", tb.text("h1"))
	assert.Equal(t, "1 заявка", tb.text("main .muted"))
}

// The footer's language switcher turns an English page Russian and back,
// for a visitor who is not logged in.
func TestBrowserLanguageSwitcher(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	tb := openTab(t, a, "visitor")

	tb.open("/login")
	assert.Equal(t, "en", tb.lang())
	tb.choose("Language", "Русский")
	require.EqualValues(t, http.StatusOK, tb.press("Switch"))
	assert.Equal(t, "/login", tb.path(), "the switcher comes back to the same page")
	assert.Equal(t, "ru", tb.lang())
	assert.Equal(t, "Язык сохранён.", tb.text(".flash"))
	assert.Equal(t, "Вход", tb.text("h1"))

	tb.open("/")
	assert.Equal(t, "ru", tb.lang(), "the choice stays")

	tb.choose("Язык", "English")
	require.EqualValues(t, http.StatusOK, tb.press("Переключить"))
	assert.Equal(t, "en", tb.lang())
	assert.Equal(t, "Language saved.", tb.text(".flash"))
	assert.Equal(t, "Ask for help, and see what happens to your request", tb.text("h1"))
}
