package browser

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/fakebotapi"
)

// The account page's button issues a one-time link and shows the deep link
// https://t.me/<bot>?start=<token> and the text /start <token> to copy;
// sending that to the bot links the chat, and the page then says so.
func TestBrowserTelegramLinkShowsDeepLink(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	bot := fakebotapi.New(t)
	a := startApp(t, "CRM_TELEGRAM_TOKEN", bot.Token(), "CRM_TELEGRAM_API_URL", bot.URL())
	if routeMissing(t, a, http.MethodPost, "/account/telegram/link") {
		t.Skip("telegram linking not wired yet")
	}

	tb := openTab(t, a, "tanya")
	tb.register("tanya", "tanya-links-telegram")
	require.EqualValues(t, http.StatusOK, tb.follow("Account"))
	const linkButton = `document.querySelector('form[action="/account/telegram/link"] button, form[action="/account/telegram/link"] input[type="submit"]')`
	tb.requireFound(linkButton, "the Telegram link button (a form posting /account/telegram/link)")
	assert.Equal(t, "post", strings.ToLower(runJS[string](tb, linkButton+".form.getAttribute('method')")))
	require.EqualValues(t, http.StatusOK, tb.clickAndLoad(linkButton, "the Telegram link button"))

	// What the page shows, links and copyable fields included.
	shown := tb.shownText()
	deepLink := regexp.MustCompile(`https://t\.me/` + regexp.QuoteMeta(bot.BotUsername()) + `\?start=([A-Za-z0-9_-]+)`)
	m := deepLink.FindStringSubmatch(shown)
	require.NotNil(t, m, "the account page shows https://t.me/%s?start=<token>; it shows:\n%s", bot.BotUsername(), shown)
	token := m[1]
	assert.LessOrEqual(t, len(token), 64, "a Telegram start parameter has at most 64 characters")
	assert.GreaterOrEqual(t, len(token), 16, "the token is long enough not to be guessed")
	assert.Contains(t, shown, "/start "+token, "the text to send to the bot by hand")
	assert.Equal(t, 1, runJS[int](tb, `document.querySelectorAll('a[href="https://t.me/`+bot.BotUsername()+`?start=`+token+`"]').length`),
		"the deep link is a link a person can open")
	tb.screenshot("account-telegram", "account")

	// The long link fits a phone.
	tb.phone()
	tb.requireNoHorizontalScroll()
	tb.screenshot("phone-account-telegram")
	tb.desktop()

	// Sending /start <token> to the bot links this chat.
	const chatID = 424242
	bot.SendText(chatID, "tanya_tg", "/start "+token)
	replies := bot.WaitForSent(t, 1, 10*time.Second)
	assert.EqualValues(t, chatID, replies[0].ChatID, "the bot answers the chat that sent the token")
	tb.open("/account")
	tb.requireFound(`document.querySelector('form[action="/account/telegram/unlink"]')`, "the unlink button of a linked account")
	tb.screenshot("account-telegram-linked")

	// And the page unlinks it again.
	unlink := `document.querySelector('form[action="/account/telegram/unlink"] button')`
	require.EqualValues(t, http.StatusOK, tb.clickAndLoad(unlink, "the unlink button"))
	tb.requireFound(linkButton, "the link button, after unlinking")
}
