package telegram

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"crm/adapters/i18n"
	"crm/application"
)

// maxMessageLen is Telegram's limit on a message, in UTF-16 code units.
const maxMessageLen = 4096

// maxQuoteLen bounds a quoted comment, leaving room for the rest.
const maxQuoteLen = 3000

// texts holds the bot's words, by language; English is the fallback for
// any language missing here. The status names come from the shared i18n
// catalogue, so the bot and the pages say the same.
var texts = map[string]map[string]string{
	"en": {
		"status_changed": "Ticket #%d “%s”: the status is now “%s”.",
		"status_note":    "Comment from %s: %s",
		"comment_added":  "Ticket #%d “%s”: new comment from %s:",
		"open_ticket":    "Open the ticket: %s",

		string(application.ReplyLinked):          "Done: this chat is now linked to the account %s. You will get a message here whenever one of your tickets changes. Send /stop to unlink it.",
		string(application.ReplyTokenMissing):    "To link this chat, open your account page on the website, press “Link Telegram” and follow the link shown there (or send the /start command shown there).",
		string(application.ReplyTokenInvalid):    "This link is not valid. Get a new one on your account page on the website.",
		string(application.ReplyTokenUsed):       "This link was already used. Get a new one on your account page on the website.",
		string(application.ReplyTokenExpired):    "This link has expired: links are valid for 15 minutes, and only the newest one works. Get a new one on your account page on the website.",
		string(application.ReplyAccountDisabled): "This account is disabled, so this chat was not linked.",
		string(application.ReplyPrivateOnly):     "Please link your account in a private chat with the bot, not in a group.",
		string(application.ReplyUnlinked):        "This chat is no longer linked to the account %s; no more notifications will come here.",
		string(application.ReplyNotLinked):       "This chat is not linked to any account.",
		string(application.ReplyHelp):            "I send a message here whenever one of your tickets changes. To link this chat, use the link on your account page on the website. /stop unlinks this chat, /help shows this message.",
		"error":                                  "Sorry, something went wrong. Please try again later.",
	},
	"ru": {
		"status_changed": "Заявка #%d «%s»: статус изменён на «%s».",
		"status_note":    "Комментарий от %s: %s",
		"comment_added":  "Заявка #%d «%s»: новый комментарий от %s:",
		"open_ticket":    "Открыть заявку: %s",

		string(application.ReplyLinked):          "Готово: этот чат привязан к учётной записи %s. Сюда будут приходить сообщения об изменениях ваших заявок. Чтобы отвязать чат, отправьте /stop.",
		string(application.ReplyTokenMissing):    "Чтобы привязать этот чат, откройте страницу учётной записи на сайте, нажмите «Привязать Telegram» и перейдите по ссылке (или отправьте показанную там команду /start).",
		string(application.ReplyTokenInvalid):    "Эта ссылка недействительна. Получите новую на странице учётной записи на сайте.",
		string(application.ReplyTokenUsed):       "Эта ссылка уже использована. Получите новую на странице учётной записи на сайте.",
		string(application.ReplyTokenExpired):    "Срок действия ссылки истёк: ссылка действует 15 минут, и работает только последняя. Получите новую на странице учётной записи на сайте.",
		string(application.ReplyAccountDisabled): "Эта учётная запись отключена, чат не привязан.",
		string(application.ReplyPrivateOnly):     "Привяжите учётную запись в личном чате с ботом, а не в группе.",
		string(application.ReplyUnlinked):        "Этот чат больше не привязан к учётной записи %s; уведомления сюда приходить не будут.",
		string(application.ReplyNotLinked):       "Этот чат не привязан ни к одной учётной записи.",
		string(application.ReplyHelp):            "Я присылаю сюда сообщение, когда меняется одна из ваших заявок. Чтобы привязать этот чат, воспользуйтесь ссылкой на странице учётной записи на сайте. /stop отвязывает чат, /help показывает это сообщение.",
		"error":                                  "Извините, что-то пошло не так. Попробуйте позже.",
	},
}

// language picks the language to write in from a user's setting or a
// Telegram language_code: one of texts' languages, English by default.
func language(pref string) string {
	lang := i18n.Match(pref)
	if _, ok := texts[lang]; !ok {
		return "en"
	}
	return lang
}

func text(lang, key string, args ...any) string {
	s, ok := texts[lang][key]
	if !ok {
		s = texts["en"][key]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// statusName is the status as the pages name it, in lang.
func statusName(lang, status string) string {
	key := "status." + status
	if i18n.Has(lang, key) {
		return i18n.Message(lang, key)
	}
	return status
}

// NotificationText words n as a plain-text message (no parse mode, so no
// escaping is needed), within Telegram's length limit.
func NotificationText(n application.Notification) string {
	lang := language(n.Language)
	var b strings.Builder
	switch n.Kind {
	case application.NotifyStatusChanged:
		b.WriteString(text(lang, "status_changed", n.TicketID, n.Title, statusName(lang, n.Status)))
		if n.Text != "" {
			b.WriteString("\n\n" + text(lang, "status_note", n.Author, truncate(n.Text, maxQuoteLen)))
		}
	default:
		b.WriteString(text(lang, "comment_added", n.TicketID, n.Title, n.Author))
		b.WriteString("\n\n" + truncate(n.Text, maxQuoteLen))
	}
	if n.URL != "" {
		b.WriteString("\n\n" + text(lang, "open_ticket", n.URL))
	}
	return truncate(b.String(), maxMessageLen)
}

// ReplyText words the bot's reply r.
func ReplyText(r application.BotReply) string {
	lang := language(r.Language)
	switch r.Kind {
	case application.ReplyLinked, application.ReplyUnlinked:
		return text(lang, string(r.Kind), r.Username)
	case "":
		return text(lang, "error")
	}
	return text(lang, string(r.Kind))
}

// truncate cuts s to at most max UTF-16 code units, ending it with "…"
// when cut.
func truncate(s string, max int) string {
	if len(utf16.Encode([]rune(s))) <= max {
		return s
	}
	n := 0
	for i, r := range s {
		n += len(utf16.Encode([]rune{r}))
		if n > max-1 {
			return s[:i] + "…"
		}
	}
	return s
}

// errorReply is the reply when the bot could not do what was asked.
func errorReply(lang string) string { return text(language(lang), "error") }
