package telegram

import (
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"crm/adapters/i18n"
	"crm/application"
)

// maxButtonTitle bounds a ticket's title on a button.
const maxButtonTitle = 40

// botReplyText words the replies about tickets; ok is false for the other
// kinds.
func botReplyText(r application.BotReply) (string, bool) {
	lang := language(r.Language)
	var b strings.Builder
	switch r.Kind {
	case application.ReplyHelp:
		b.WriteString(text(lang, "reply.help"))
		if r.URL != "" {
			b.WriteString("\n\n" + text(lang, "site", "url", r.URL))
		}
		return b.String(), true
	case application.ReplyDescribe:
		b.WriteString(text(lang, "reply.describe", "type", typeName(lang, r.Value)))
	case application.ReplyCreated, application.ReplyCommented, application.ReplyNoted:
		b.WriteString(text(lang, "reply."+string(r.Kind), "id", r.TicketID, "title", r.Title))
	case application.ReplyTicket:
		b.WriteString(text(lang, "reply.ticket", "id", r.TicketID, "title", r.Title, "status", statusName(lang, r.Status)))
		for _, c := range r.Comments {
			b.WriteString("\n\n" + text(lang, "reply.ticket_comment", "name", c.Author, "text", truncate(c.Text, 800)))
		}
	case application.ReplyTickets:
		b.WriteString(text(lang, "reply.tickets"))
		for _, t := range r.Tickets {
			b.WriteString("\n#" + strconv.FormatInt(t.ID, 10) + " " + t.Title + " — " + statusName(lang, t.Status))
		}
	case application.ReplyTooMany:
		b.WriteString(text(lang, "reply.too_many", "limit", application.BotTicketsPerHour))
	case application.ReplyRate:
		b.WriteString(text(lang, "reply."+string(r.Kind), "id", r.TicketID))
	case application.ReplyHelpLinked, application.ReplyChooseType, application.ReplyCancelled, application.ReplyNoDialogue,
		application.ReplyNoTickets, application.ReplyDraft, application.ReplyInvalidText, application.ReplyTicketGone,
		application.ReplyNoteHowTo:
		b.WriteString(text(lang, "reply."+string(r.Kind)))
	default:
		return "", false
	}
	if r.URL != "" && (r.Kind == application.ReplyCreated || r.Kind == application.ReplyTicket) {
		b.WriteString("\n\n" + text(lang, "open_ticket", "url", r.URL))
	}
	if r.Cut {
		b.WriteString("\n\n" + text(lang, "cut_note"))
	}
	return truncate(b.String(), maxMessageLen), true
}

// typeName is the ticket type as the pages name it, in lang.
func typeName(lang, slug string) string {
	key := "type." + slug
	if i18n.Has(lang, key) {
		return i18n.Message(lang, key)
	}
	return slug
}

// keyboard labels the buttons in lang; nil for none.
func keyboard(lang string, rows [][]application.BotButton) *tgbotapi.InlineKeyboardMarkup {
	lang = language(lang)
	var out [][]tgbotapi.InlineKeyboardButton
	for _, row := range rows {
		var r []tgbotapi.InlineKeyboardButton
		for _, b := range row {
			label := buttonLabel(lang, b)
			if b.Kind == application.ButtonOpenURL {
				r = append(r, tgbotapi.NewInlineKeyboardButtonURL(label, b.URL))
			} else {
				r = append(r, tgbotapi.NewInlineKeyboardButtonData(label, b.Data))
			}
		}
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(out...)
	return &kb
}

func buttonLabel(lang string, b application.BotButton) string {
	title := truncate(b.Title, maxButtonTitle)
	switch b.Kind {
	case application.ButtonType:
		return typeName(lang, b.Value)
	case application.ButtonRate:
		return text(lang, "button.rate", "n", b.Value)
	case application.ButtonShow, application.ButtonDraftAdd:
		return text(lang, "button."+string(b.Kind), "id", b.TicketID, "title", title)
	}
	return text(lang, "button."+string(b.Kind))
}

// toastText words the short answer to a button press; "" for none.
func toastText(lang string, t application.BotToast) string {
	if t == application.ToastNone {
		return ""
	}
	return text(language(lang), "toast."+string(t))
}

// notificationButtons are the buttons under a notification: close or
// reopen the ticket, its page, and the rating when staff closed it; for
// staff, take it and start the work.
func notificationButtons(n application.Notification) [][]application.BotButton {
	if n.Staff {
		return application.StaffButtons(n.TicketID, n.URL)
	}
	closed := n.Kind == application.NotifyStatusChanged && n.Status == "closed"
	rows := application.TicketButtons(n.TicketID, closed, n.URL)
	if closed {
		rows = append([][]application.BotButton{application.RateButtons(n.TicketID)}, rows...)
	}
	return rows
}
