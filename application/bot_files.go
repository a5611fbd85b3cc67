package application

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"crm/domain"
)

// BotFileMaxBytes is the largest file the Bot API lets a bot download
// (getFile); a larger one cannot be fetched at all.
const BotFileMaxBytes = 20 << 20

// The bot's answers about files sent to it.
const (
	ReplyFileUnsupported BotReplyKind = "file_unsupported" // a sticker, voice, location…: not kept
	ReplyFileRefused     BotReplyKind = "file_refused"     // the content is of a type the desk does not keep
	ReplyFileTooLarge    BotReplyKind = "file_too_large"   // over the limit, whose bytes are in Value
	ReplyFileNeedsText   BotReplyKind = "file_needs_text"  // a file alone cannot describe a new ticket
)

// BotFile is a photo or a document sent to the bot, as Telegram describes
// it; its bytes are fetched only once it is known where it goes.
type BotFile struct {
	ID   string // Telegram's file_id
	Name string // the document's name; "" for a photo (the fetcher names it)
	Size int64  // as Telegram reports it; 0 when it does not say
}

// BotFileFetcher downloads the files sent to the bot.
type BotFileFetcher interface {
	// FetchBotFile downloads f, reading at most max bytes, and prepares it
	// as an upload. It returns ErrBotFileTooLarge when the file is larger
	// than max, a domain.ValidationError on "files" when its content is
	// not of a type the desk keeps, and other errors for failures.
	FetchBotFile(ctx context.Context, f BotFile, max int64) (domain.Upload, error)
}

// ErrBotFileTooLarge: the file sent to the bot is over the limit.
var ErrBotFileTooLarge = errors.New("file sent to the bot is too large")

// fileLimit is the largest file the bot takes: the Bot API's, or the
// desk's own when that is smaller.
func (b *botTickets) fileLimit() int64 {
	return min(BotFileMaxBytes, b.limits.MaxBytes)
}

// file answers a message that carries a file, or something that is not
// text (Unsupported). Where the file goes is decided before it is
// downloaded: a reply to the bot's message about a ticket adds it to that
// ticket, with the caption as the comment; at the description step of
// /new it goes on the new ticket, with the caption as the description;
// anywhere else it is kept, by its file_id, with the caption, until a
// button says where it goes (see draft). A refused file changes nothing.
func (b *botTickets) file(ctx context.Context, u *domain.User, lang string, cmd HandleBotMessage) (BotReply, error) {
	r := BotReply{Language: lang}
	if cmd.Unsupported || cmd.File == nil || b.files == nil || b.limits.MaxFiles < 1 {
		r.Kind = ReplyFileUnsupported
		return r, nil
	}
	if !domain.ValidText(cmd.Text) {
		r.Kind = ReplyInvalidText
		return r, nil
	}
	if cmd.File.Size > b.fileLimit() {
		return b.tooLarge(lang), nil
	}
	if id, ok, err := b.repliedTicket(ctx, cmd); err != nil {
		return r, err
	} else if ok {
		up, refused, err := b.fetch(ctx, lang, *cmd.File)
		if refused.Kind != "" || err != nil {
			return refused, err
		}
		return b.addComment(ctx, u, lang, id, cmd.Text, up)
	}
	d, err := b.chats.Dialogue(ctx, cmd.ChatID)
	if err != nil {
		return r, fmt.Errorf("read dialogue: %w", err)
	}
	switch d.Step {
	case BotStepType:
		return b.chooseType(lang), nil
	case BotStepText:
		if strings.TrimSpace(cmd.Text) == "" { // the title comes from the description
			r.Kind = ReplyFileNeedsText
			return r, nil
		}
		up, refused, err := b.fetch(ctx, lang, *cmd.File)
		if refused.Kind != "" || err != nil {
			return refused, err
		}
		return b.open(ctx, u, lang, d, cmd.Text, up)
	}
	return b.draft(ctx, u, lang, d, cmd.Text, *cmd.File)
}

// openKept opens a ticket from text with the dialogue's kept file, if
// any, fetched now.
func (b *botTickets) openKept(ctx context.Context, u *domain.User, lang string, d BotDialogue, text string) (BotReply, error) {
	if d.DraftFile.ID == "" {
		return b.open(ctx, u, lang, d, text)
	}
	up, refused, err := b.fetch(ctx, lang, d.DraftFile)
	if refused.Kind != "" || err != nil {
		return refused, err
	}
	return b.open(ctx, u, lang, d, text, up)
}

// addKept adds the kept message, and its file fetched now, to ticket id.
func (b *botTickets) addKept(ctx context.Context, u *domain.User, lang string, id int64, d BotDialogue) (BotReply, error) {
	if d.DraftFile.ID == "" {
		return b.addComment(ctx, u, lang, id, d.Draft)
	}
	up, refused, err := b.fetch(ctx, lang, d.DraftFile)
	if refused.Kind != "" || err != nil {
		return refused, err
	}
	return b.addComment(ctx, u, lang, id, d.Draft, up)
}

// fetch downloads f; a refusal comes back as the reply to give (its Kind
// set), a failure as an error.
func (b *botTickets) fetch(ctx context.Context, lang string, f BotFile) (domain.Upload, BotReply, error) {
	up, err := b.files.FetchBotFile(ctx, f, b.fileLimit())
	switch {
	case err == nil:
		return up, BotReply{}, nil
	case errors.Is(err, ErrBotFileTooLarge):
		return up, b.tooLarge(lang), nil
	case isValidation(err):
		return up, BotReply{Kind: ReplyFileRefused, Language: lang}, nil
	}
	return up, BotReply{Language: lang}, fmt.Errorf("fetch file from telegram: %w", err)
}

func (b *botTickets) tooLarge(lang string) BotReply {
	return BotReply{Kind: ReplyFileTooLarge, Language: lang, Value: itoa(b.fileLimit())}
}

// fileRefusal is the reply to a use case's refusal of the files of a
// message; ok is false when the refusal is about something else.
func fileRefusal(err error, b *botTickets, lang string) (BotReply, bool) {
	ves, ok := domain.AsValidation(err)
	if !ok {
		return BotReply{}, false
	}
	for _, ve := range ves {
		if ve.Field != "files" {
			continue
		}
		if ve.Code == domain.CodeTooLarge {
			return b.tooLarge(lang), true
		}
		return BotReply{Kind: ReplyFileRefused, Language: lang}, true
	}
	return BotReply{}, false
}
