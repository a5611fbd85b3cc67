package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"crm/adapters/i18n"
	"crm/adapters/upload"
	"crm/application"
	"crm/domain"
)

var _ application.BotFileFetcher = (*Client)(nil)

// FetchBotFile asks getFile where the file is, downloads it from
// <APIURL>/file/bot<token>/<path> reading at most max bytes, and inspects
// it (type sniffed from the bytes, hash, thumbnail). A file over max,
// whatever Telegram said its size was, is application.ErrBotFileTooLarge;
// a content the desk does not keep is upload.Inspect's ValidationError.
// A photo has no name of its own: it is called photo.<its type>.
func (c *Client) FetchBotFile(ctx context.Context, f application.BotFile, max int64) (domain.Upload, error) {
	bot, err := c.botAPI(ctx)
	if err != nil {
		return domain.Upload{}, err
	}
	file, err := bot.GetFile(tgbotapi.FileConfig{FileID: f.ID})
	var te *tgbotapi.Error
	if errors.As(err, &te) && strings.Contains(te.Message, "file is too big") {
		// Telegram's own refusal of a file over 20 MB, whose size the
		// message did not tell.
		return domain.Upload{}, application.ErrBotFileTooLarge
	}
	if err != nil {
		return domain.Upload{}, c.classify("getFile", err)
	}
	if int64(file.FileSize) > max {
		return domain.Upload{}, application.ErrBotFileTooLarge
	}
	content, err := c.download(ctx, file.FilePath, max)
	if err != nil {
		return domain.Upload{}, err
	}
	name := f.Name
	if name == "" || domain.CheckAttachmentName("files", name) != nil {
		name = "photo"
	}
	up, err := upload.Inspect(name, content)
	if err != nil {
		return domain.Upload{}, err
	}
	if f.Name == "" {
		up.Name = "photo" + extension(up.ContentType)
	}
	return up, nil
}

// messageFile returns the photo or document m carries (of a photo, the
// largest size Telegram made) with its caption, or reports that m carries
// something the desk does not keep: a sticker, voice, audio, video,
// animation, location, venue, contact, poll or dice.
func messageFile(m *tgbotapi.Message) (f *application.BotFile, caption string, unsupported bool) {
	switch {
	case len(m.Photo) > 0:
		best := m.Photo[0]
		for _, p := range m.Photo[1:] {
			if p.Width*p.Height > best.Width*best.Height || (p.Width*p.Height == best.Width*best.Height && p.FileSize > best.FileSize) {
				best = p
			}
		}
		return &application.BotFile{ID: best.FileID, Size: int64(best.FileSize)}, m.Caption, false
	case m.Document != nil:
		return &application.BotFile{ID: m.Document.FileID, Name: m.Document.FileName, Size: int64(m.Document.FileSize)}, m.Caption, false
	}
	other := m.Sticker != nil || m.Voice != nil || m.Audio != nil || m.Video != nil || m.VideoNote != nil ||
		m.Animation != nil || m.Location != nil || m.Venue != nil || m.Contact != nil || m.Poll != nil || m.Dice != nil
	return nil, "", other
}

// download reads the file at path through a limit of max+1 bytes: one
// more than allowed tells a file that is too large from one that fits.
func (c *Client) download(ctx context.Context, path string, max int64) ([]byte, error) {
	if path == "" || strings.Contains(path, "..") {
		return nil, fmt.Errorf("telegram getFile: no usable file path")
	}
	ctx, cancel := context.WithTimeout(ctx, uploadTimeoutFactor*c.cfg.RequestTimeout)
	defer cancel()
	url := strings.TrimRight(c.cfg.APIURL, "/") + "/file/bot" + c.cfg.Token + "/" + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("telegram file: %s", c.redact(err.Error()))
	}
	resp, err := c.pollHTTP.Do(req) // bounded by ctx: a large file takes longer than RequestTimeout
	if err != nil {
		return nil, fmt.Errorf("telegram file: %s", c.redact(err.Error()))
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram file: HTTP %d", resp.StatusCode)
	}
	if resp.ContentLength > max {
		return nil, application.ErrBotFileTooLarge
	}
	content, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("telegram file: %s", c.redact(err.Error()))
	}
	if int64(len(content)) > max {
		return nil, application.ErrBotFileTooLarge
	}
	return content, nil
}

// fileReplyText words the refusal of a file that is too large, naming
// the limit; ok is false for the other replies (ReplyText words them).
func fileReplyText(r application.BotReply) (string, bool) {
	if r.Kind != application.ReplyFileTooLarge {
		return "", false
	}
	n, _ := strconv.ParseInt(r.Value, 10, 64)
	lang := language(r.Language)
	return text(lang, "reply.file_too_large", "limit", i18n.ByteSize(lang, n)), true
}

// extension is the usual file extension of an image type, "" for others.
func extension(contentType string) string {
	switch contentType {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	}
	return ""
}
