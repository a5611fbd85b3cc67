package telegram

import (
	"strings"
	"unicode/utf16"

	"crm/adapters/i18n"
	"crm/application"
)

// maxMessageLen is Telegram's limit on a message, in UTF-16 code units.
const maxMessageLen = 4096

// maxQuoteLen bounds a quoted comment, leaving room for the rest.
const maxQuoteLen = 3000

// The bot's words live in the shared catalogue (adapters/i18n/locales) as
// "bot.*" keys, beside the pages' words, so a translator edits one file per
// language and a missing key fails the catalogue's test.

// language picks the language to write in from a user's setting or a
// Telegram language_code: one of the catalogue's languages, English by
// default.
func language(pref string) string { return i18n.Match(pref) }

// text returns the bot message key in lang, its placeholders filled from
// args (name/value pairs).
func text(lang, key string, args ...any) string { return i18n.Message(lang, "bot."+key, args...) }

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
		b.WriteString(text(lang, "status_changed", "id", n.TicketID, "title", n.Title, "status", statusName(lang, n.Status)))
		if n.Text != "" {
			b.WriteString("\n\n" + text(lang, "status_note", "name", n.Author, "text", truncate(n.Text, maxQuoteLen)))
		}
	case application.NotifyTicketMerged:
		b.WriteString(i18n.Message(lang, "merge.bot_merged", "id", n.FromTicketID, "title", n.FromTitle,
			"into", n.TicketID, "into_title", n.Title))
	case application.NotifyNewTicket, application.NotifyOwnerReply:
		b.WriteString(text(lang, string(n.Kind), "id", n.TicketID, "title", n.Title, "name", n.Author))
		if n.Text != "" {
			b.WriteString("\n\n" + truncate(n.Text, maxQuoteLen))
		}
		b.WriteString("\n\n" + text(lang, "staff_hint"))
	default:
		b.WriteString(text(lang, "comment_added", "id", n.TicketID, "title", n.Title, "name", n.Author))
		b.WriteString("\n\n" + truncate(n.Text, maxQuoteLen))
	}
	if n.URL != "" {
		b.WriteString("\n\n" + text(lang, "open_ticket", "url", n.URL))
	}
	return truncate(b.String(), maxMessageLen)
}

// ReplyText words the bot's reply r, whatever its kind: every reply goes
// through here, so no sender has to know which kinds need more than a key.
func ReplyText(r application.BotReply) string {
	if s, ok := fileReplyText(r); ok {
		return s
	}
	if s, ok := botReplyText(r); ok {
		return s
	}
	lang := language(r.Language)
	switch r.Kind {
	case application.ReplyLinked, application.ReplyUnlinked:
		return text(lang, "reply."+string(r.Kind), "username", r.Username)
	case "":
		return text(lang, "error")
	}
	return text(lang, "reply."+string(r.Kind))
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
