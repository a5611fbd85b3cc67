package application

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The bot's answers about tickets, for a linked chat.
const (
	ReplyHelpLinked  BotReplyKind = "help_linked"  // /help in a linked chat: the commands
	ReplyNone        BotReplyKind = "none"         // nothing is sent (a group's small talk)
	ReplyChooseType  BotReplyKind = "choose_type"  // /new: one button per ticket type
	ReplyDescribe    BotReplyKind = "describe"     // a type was chosen: now the description
	ReplyCreated     BotReplyKind = "created"      // the ticket TicketID was opened
	ReplyCancelled   BotReplyKind = "cancelled"    // /cancel left the dialogue
	ReplyNoDialogue  BotReplyKind = "no_dialogue"  // /cancel outside a dialogue
	ReplyCommented   BotReplyKind = "commented"    // the message became a comment on TicketID
	ReplyTickets     BotReplyKind = "tickets"      // /tickets: Tickets, one button each
	ReplyNoTickets   BotReplyKind = "no_tickets"   // /tickets without open tickets
	ReplyTicket      BotReplyKind = "ticket"       // one ticket: Status, Comments
	ReplyDraft       BotReplyKind = "draft"        // a plain message: open a ticket from it, or add it to one
	ReplyTooMany     BotReplyKind = "too_many"     // BotTicketsPerHour reached
	ReplyRate        BotReplyKind = "rate"         // the owner closed TicketID: rate the help
	ReplyInvalidText BotReplyKind = "invalid_text" // the message is not text the desk keeps
	ReplyTicketGone  BotReplyKind = "ticket_gone"  // the ticket is not there (or not the person's)
)

// BotButtonKind says what a button does; the adapter labels it.
type BotButtonKind string

// The buttons.
const (
	ButtonClose    BotButtonKind = "close"     // close TicketID, it is solved
	ButtonReopen   BotButtonKind = "reopen"    // reopen TicketID
	ButtonRate     BotButtonKind = "rate"      // rate TicketID with Value (1–5)
	ButtonShow     BotButtonKind = "show"      // show TicketID (Title)
	ButtonType     BotButtonKind = "type"      // choose the ticket type Value
	ButtonDraftNew BotButtonKind = "draft_new" // open a ticket from the kept message
	ButtonDraftAdd BotButtonKind = "draft_add" // add the kept message to TicketID (Title)
	ButtonOpenURL  BotButtonKind = "url"       // open URL, the ticket's page
)

// BotButton is one inline button: Data is its callback data (at most 64
// bytes), or URL for a link.
type BotButton struct {
	Kind     BotButtonKind
	Data     string
	URL      string
	TicketID int64
	Title    string
	Value    string
}

// BotTicketLine is a ticket in a list.
type BotTicketLine struct {
	ID     int64
	Title  string
	Status string
}

// BotCommentLine is a comment the reader may see.
type BotCommentLine struct {
	Author string
	Text   string
}

// The callback data of the buttons: a letter, then fields separated by ":".
// Whatever comes back is parsed and checked again; it is never believed.
func closeData(id int64) string      { return "c:" + itoa(id) }
func reopenData(id int64) string     { return "o:" + itoa(id) }
func showData(id int64) string       { return "s:" + itoa(id) }
func typeData(slug string) string    { return "t:" + slug }
func draftNewData(key string) string { return "n:" + key }
func draftAddData(key string, id int64) string {
	return "a:" + key + ":" + itoa(id)
}
func rateData(id int64, n int) string { return "r:" + itoa(id) + ":" + strconv.Itoa(n) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TicketButtons are the buttons under a message about a ticket of the
// person: close it while it is not closed, reopen it when it is, and its
// page when url is set.
func TicketButtons(id int64, closed bool, url string) [][]BotButton {
	var rows [][]BotButton
	if closed {
		rows = append(rows, []BotButton{{Kind: ButtonReopen, Data: reopenData(id), TicketID: id}})
	} else {
		rows = append(rows, []BotButton{{Kind: ButtonClose, Data: closeData(id), TicketID: id}})
	}
	if url != "" {
		rows = append(rows, []BotButton{{Kind: ButtonOpenURL, URL: url, TicketID: id}})
	}
	return rows
}

// RateButtons are five buttons, 1 to 5, rating the help on ticket id.
func RateButtons(id int64) []BotButton {
	row := make([]BotButton, 5)
	for i := range row {
		row[i] = BotButton{Kind: ButtonRate, Data: rateData(id, i+1), TicketID: id, Value: strconv.Itoa(i + 1)}
	}
	return row
}

// cutAtWord cuts s to at most max characters, at the last space before the
// limit when there is one in its second half, and reports whether it cut.
func cutAtWord(s string, max int) (string, bool) {
	if utf8.RuneCountInString(s) <= max {
		return s, false
	}
	runes := []rune(s)[:max]
	for i := len(runes) - 1; i > max/2; i-- {
		if unicode.IsSpace(runes[i]) {
			return strings.TrimRightFunc(string(runes[:i]), unicode.IsSpace), true
		}
	}
	return string(runes), true
}
