package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"crm/application"
	"crm/domain"
)

// WithFiles lets the notifier send the files of a comment, read through
// files; without it a comment's files are left out and only its text
// goes.
func (n *Notifier) WithFiles(files application.Files) *Notifier {
	n.files = files
	return n
}

// NotifyFiles sends note to chatID with the files of its comment: each
// file a message of its own (each remembered as about the ticket, with
// WithThreads), the first with the ticket's buttons and the note's text as
// its caption (cut to Telegram's 1024 characters; the rest follows as a
// message of its own). Images go as photos, shown in the chat; other files, GIFs (Telegram
// would make them a video) and images over 10 MB as documents, as does a
// photo Telegram refuses (400). A file deleted since the comment is
// skipped; if none is left the text goes alone. Without WithFiles, only
// the text goes. Errors as Client.SendText's, or the Files port's.
//
// A failure stops the sending and is returned, so the dispatcher retries the
// whole notification: files sent before it are sent again then (the Bot API
// has no way to tell that a send is a repeat).
func (n *Notifier) NotifyFiles(ctx context.Context, chatID int64, note application.Notification, files []domain.AttachmentInfo) error {
	text := NotificationText(note)
	if n.files == nil || len(files) == 0 {
		return n.sendText(ctx, chatID, note, text)
	}
	caption, rest := splitCaption(text)
	kb := keyboard(note.Language, notificationButtons(note))
	for _, f := range files {
		id, err := n.sendFile(ctx, chatID, f, caption, kb)
		if err != nil {
			return err
		}
		if id != 0 { // the first file sent carries the text and the buttons; a reply to any threads
			n.remember(ctx, chatID, id, note)
			caption, kb = "", nil
		}
	}
	if caption != "" { // no file was left to carry it
		rest = text
	}
	if rest != "" {
		return n.sendText(ctx, chatID, note, rest)
	}
	return nil
}

// sendFile sends one file with caption and the keyboard kb, and returns
// the sent message's id: 0 when the file was not there to send.
func (n *Notifier) sendFile(ctx context.Context, chatID int64, f domain.AttachmentInfo, caption string,
	kb *tgbotapi.InlineKeyboardMarkup) (int, error) {
	var id int
	if asPhoto(f) {
		err := n.sendContent(ctx, f, func(c io.Reader) (err error) {
			id, err = n.client.sendFile(ctx, "sendPhoto", "photo", chatID, f.Name, c, caption, kb)
			return err
		})
		// Telegram refuses photos of extreme proportions or sizes it cannot
		// process (400); the same bytes go as a document.
		if !errors.Is(err, application.ErrPermanent) {
			return id, ignoreMissing(err)
		}
	}
	err := n.sendContent(ctx, f, func(c io.Reader) (err error) {
		id, err = n.client.sendFile(ctx, "sendDocument", "document", chatID, f.Name, c, caption, kb)
		return err
	})
	return id, ignoreMissing(err)
}

// sendContent opens the file's content, hands it to send and closes it.
func (n *Notifier) sendContent(ctx context.Context, f domain.AttachmentInfo, send func(io.Reader) error) error {
	r, err := n.files.Open(ctx, f.SHA256)
	if err != nil {
		if errors.Is(err, application.ErrFileNotFound) {
			return err
		}
		return fmt.Errorf("open file %s: %w", f.SHA256, err)
	}
	defer func() { _ = r.Close() }()
	return send(r)
}

func ignoreMissing(err error) error {
	if errors.Is(err, application.ErrFileNotFound) {
		return nil
	}
	return err
}

// asPhoto reports whether Telegram shows f as a photo.
func asPhoto(f domain.AttachmentInfo) bool {
	switch f.ContentType {
	case "image/jpeg", "image/png", "image/webp":
		return f.Size <= maxPhotoBytes
	}
	return false
}
