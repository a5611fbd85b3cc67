package browser

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An admin sets a type's response targets in Russian, without JavaScript
// doing anything on the page: a zero target is refused beside its field,
// then business hours in Moscow are saved.
func TestBrowserAdminSetsResponseTargetsInRussian(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.cli(t, "", "demo")
	tb := openTab(t, a, "admin")
	tb.logIn("superuser", "superuser")
	tb.acceptLanguage("ru-RU,ru,en")
	tb.open("/admin/tickets")

	require.EqualValues(t, http.StatusOK, tb.follow("Сроки реакции"))
	assert.Equal(t, "/admin/sla", tb.path())
	assert.Equal(t, "Сроки реакции", tb.text("h1"))
	assert.Equal(t, []string{"Консультация", "Ремонт", "Обслуживание"}, tb.texts("main h2"))

	tb.fill("Первый ответ в течение", "0")
	assert.EqualValues(t, http.StatusUnprocessableEntity, tb.press("Сохранить сроки"))
	assert.Equal(t, "Срок должен быть больше нуля.", tb.text(".field-error"))
	tb.screenshot("sla-error-ru")

	tb.fill("Первый ответ в течение", "2h")
	tb.tick("Только в рабочие часы")
	tb.fill("Часовой пояс", "Europe/Moscow")
	require.EqualValues(t, http.StatusOK, tb.press("Сохранить сроки"))
	assert.Equal(t, "/admin/sla?saved=consultation", tb.path())
	assert.Equal(t, "Сроки сохранены. Они действуют для новых заявок.", tb.text(".notice"))
	tb.screenshot("sla-ru", "sla-ru")
}
