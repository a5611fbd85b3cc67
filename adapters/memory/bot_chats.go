package memory

import (
	"context"
	"sync"
	"time"

	"crm/application"
)

var _ application.BotChats = (*BotChats)(nil)

// BotChats keeps the Telegram bot's memory in memory.
type BotChats struct {
	mu        sync.Mutex
	messages  map[botMessageKey]int64
	dialogues map[int64]application.BotDialogue
}

type botMessageKey struct {
	chat    int64
	message int
}

// NewBotChats returns an empty BotChats.
func NewBotChats() *BotChats {
	return &BotChats{messages: map[botMessageKey]int64{}, dialogues: map[int64]application.BotDialogue{}}
}

// RememberMessage records the message's ticket.
func (s *BotChats) RememberMessage(_ context.Context, chatID int64, messageID int, ticketID int64, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages[botMessageKey{chatID, messageID}] = ticketID
	return nil
}

// TicketOfMessage returns the message's ticket, or
// application.ErrBotMessageUnknown.
func (s *BotChats) TicketOfMessage(_ context.Context, chatID int64, messageID int) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.messages[botMessageKey{chatID, messageID}]
	if !ok {
		return 0, application.ErrBotMessageUnknown
	}
	return id, nil
}

// Dialogue returns the chat's state, the zero one for a chat never seen.
func (s *BotChats) Dialogue(_ context.Context, chatID int64) (application.BotDialogue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.dialogues[chatID]
	if !ok {
		return application.BotDialogue{ChatID: chatID}, nil
	}
	return d, nil
}

// SaveDialogue stores d, with its times as a database keeps them.
func (s *BotChats) SaveDialogue(_ context.Context, d application.BotDialogue) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !d.OpenedSince.IsZero() {
		d.OpenedSince = micro(d.OpenedSince)
	}
	d.UpdatedAt = micro(d.UpdatedAt)
	s.dialogues[d.ChatID] = d
	return nil
}
