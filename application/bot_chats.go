package application

import (
	"context"
	"errors"
	"time"
)

// BotChats keeps what the Telegram bot must remember between updates, in
// the database so that it outlives a restart and is shared by replicas:
// which of its messages is about which ticket (so a reply to one threads
// onto that ticket), and where each chat's dialogue stands.
type BotChats interface {
	// RememberMessage records that the bot's message messageID in chatID
	// is about ticketID. Remembering a message again replaces its ticket.
	RememberMessage(ctx context.Context, chatID int64, messageID int, ticketID int64, at time.Time) error
	// TicketOfMessage returns the ticket the bot's message is about, or
	// ErrBotMessageUnknown for a message it did not send about a ticket
	// (or whose ticket is gone).
	TicketOfMessage(ctx context.Context, chatID int64, messageID int) (int64, error)
	// Dialogue returns the chat's state; a chat never seen has the zero
	// state (with ChatID set), not an error.
	Dialogue(ctx context.Context, chatID int64) (BotDialogue, error)
	// SaveDialogue stores d as its chat's state.
	SaveDialogue(ctx context.Context, d BotDialogue) error
}

// ErrBotMessageUnknown: the message is not one the bot remembers as being
// about a ticket.
var ErrBotMessageUnknown = errors.New("bot message not about a ticket")

// BotStep is where a chat's /new dialogue stands.
type BotStep string

// The steps of /new.
const (
	BotStepNone BotStep = ""     // no dialogue
	BotStepType BotStep = "type" // waiting for a type button
	BotStepText BotStep = "text" // waiting for the description
)

// BotDialogue is one chat's state with the bot.
type BotDialogue struct {
	ChatID int64
	Step   BotStep
	Type   string // the chosen ticket type (BotStepText)
	// DraftKey names the plain message kept until its sender presses a
	// button (open a ticket from it, or add it to one); "" for none. Only
	// the latest is kept, so a button of an older one is stale.
	DraftKey string
	Draft    string
	// DraftFile is the photo or document kept with the message (its
	// caption is Draft), by Telegram's file_id: its bytes are fetched when
	// a button says where it goes. ID "" for none.
	DraftFile BotFile
	// OpenedSince starts the hour in which Opened tickets were opened
	// through the bot (the limit of BotTicketsPerHour).
	OpenedSince time.Time
	Opened      int
	UpdatedAt   time.Time
}
