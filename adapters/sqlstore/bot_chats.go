package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"crm/application"
)

var _ application.BotChats = (*BotChats)(nil)

// BotChats stores the Telegram bot's memory: its messages about tickets and
// each chat's dialogue.
type BotChats struct{ s *Store }

// NewBotChats returns BotChats over s.
func NewBotChats(s *Store) *BotChats { return &BotChats{s: s} }

type botDialogueRow struct {
	ChatID      int64     `db:"chat_id"`
	Step        string    `db:"step"`
	Type        string    `db:"ticket_type"`
	DraftKey    string    `db:"draft_key"`
	Draft       string    `db:"draft"`
	FileID      string    `db:"draft_file_id"`
	FileName    string    `db:"draft_file_name"`
	FileSize    int64     `db:"draft_file_size"`
	OpenedSince timestamp `db:"opened_since"`
	Opened      int       `db:"opened"`
	UpdatedAt   timestamp `db:"updated_at"`
}

func (r botDialogueRow) toApp() application.BotDialogue {
	return application.BotDialogue{ChatID: r.ChatID, Step: application.BotStep(r.Step), Type: r.Type,
		DraftKey: r.DraftKey, Draft: r.Draft, DraftFile: application.BotFile{ID: r.FileID, Name: r.FileName, Size: r.FileSize},
		OpenedSince: r.OpenedSince.Time, Opened: r.Opened, UpdatedAt: r.UpdatedAt.Time}
}

// RememberMessage records the message's ticket; a ticket that does not
// exist is an error (the foreign key).
func (s *BotChats) RememberMessage(ctx context.Context, chatID int64, messageID int, ticketID int64, at time.Time) error {
	const q = `INSERT INTO bot_messages (chat_id, message_id, ticket_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (chat_id, message_id) DO UPDATE SET ticket_id = excluded.ticket_id, created_at = excluded.created_at`
	if _, err := s.s.exec(ctx, nil, q, chatID, messageID, ticketID, at); err != nil {
		return fmt.Errorf("remember bot message %d/%d: %w", chatID, messageID, err)
	}
	return nil
}

// TicketOfMessage returns the message's ticket, or
// application.ErrBotMessageUnknown.
func (s *BotChats) TicketOfMessage(ctx context.Context, chatID int64, messageID int) (int64, error) {
	const q = `SELECT ticket_id FROM bot_messages WHERE chat_id = ? AND message_id = ?`
	var id int64
	err := s.s.get(ctx, nil, &id, q, chatID, messageID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, application.ErrBotMessageUnknown
	}
	if err != nil {
		return 0, fmt.Errorf("select bot message %d/%d: %w", chatID, messageID, err)
	}
	return id, nil
}

// Dialogue returns the chat's state, the zero one for a chat never seen.
func (s *BotChats) Dialogue(ctx context.Context, chatID int64) (application.BotDialogue, error) {
	const q = `SELECT chat_id, step, ticket_type, draft_key, draft, draft_file_id, draft_file_name, draft_file_size,
		opened_since, opened, updated_at
		FROM bot_dialogues WHERE chat_id = ?`
	var r botDialogueRow
	err := s.s.get(ctx, nil, &r, q, chatID)
	if errors.Is(err, sql.ErrNoRows) {
		return application.BotDialogue{ChatID: chatID}, nil
	}
	if err != nil {
		return application.BotDialogue{}, fmt.Errorf("select bot dialogue %d: %w", chatID, err)
	}
	return r.toApp(), nil
}

// SaveDialogue stores d, replacing the chat's state.
func (s *BotChats) SaveDialogue(ctx context.Context, d application.BotDialogue) error {
	const q = `INSERT INTO bot_dialogues (chat_id, step, ticket_type, draft_key, draft,
			draft_file_id, draft_file_name, draft_file_size, opened_since, opened, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET step = excluded.step, ticket_type = excluded.ticket_type,
			draft_key = excluded.draft_key, draft = excluded.draft, draft_file_id = excluded.draft_file_id,
			draft_file_name = excluded.draft_file_name, draft_file_size = excluded.draft_file_size,
			opened_since = excluded.opened_since, opened = excluded.opened, updated_at = excluded.updated_at`
	if _, err := s.s.exec(ctx, nil, q, d.ChatID, string(d.Step), d.Type, d.DraftKey, d.Draft,
		d.DraftFile.ID, d.DraftFile.Name, d.DraftFile.Size, d.OpenedSince, d.Opened, d.UpdatedAt); err != nil {
		return fmt.Errorf("save bot dialogue %d: %w", d.ChatID, err)
	}
	return nil
}
