package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"crm/application"
)

const (
	// maxCaptionLen is Telegram's limit on the caption of a photo or a
	// document, in UTF-16 code units.
	maxCaptionLen = 1024
	// maxPhotoBytes is the largest photo Telegram takes with sendPhoto;
	// larger images go as documents.
	maxPhotoBytes = 10 << 20
	// uploadTimeoutFactor stretches RequestTimeout for an upload: ten
	// megabytes take longer than a text message.
	uploadTimeoutFactor = 6
)

// SendPhoto uploads content as a photo to chatID, with caption (at most
// 1024 characters; "" for none), waiting for the rate limits first. Errors
// as SendText's.
func (c *Client) SendPhoto(ctx context.Context, chatID int64, name string, content io.Reader, caption string) error {
	_, err := c.sendFile(ctx, "sendPhoto", "photo", chatID, name, content, caption, nil)
	return err
}

// SendDocument uploads content as a document (a file the person
// downloads) to chatID, with caption; otherwise as SendPhoto.
func (c *Client) SendDocument(ctx context.Context, chatID int64, name string, content io.Reader, caption string) error {
	_, err := c.sendFile(ctx, "sendDocument", "document", chatID, name, content, caption, nil)
	return err
}

// sendFile uploads content with caption and the keyboard kb (nil for none)
// and returns the sent message's id.
func (c *Client) sendFile(ctx context.Context, method, field string, chatID int64, name string, content io.Reader, caption string,
	kb *tgbotapi.InlineKeyboardMarkup) (int, error) {
	if _, err := c.botAPI(ctx); err != nil {
		if ctx.Err() == nil {
			c.recordSend(err)
		}
		return 0, err
	}
	markup := ""
	if kb != nil {
		raw, err := json.Marshal(kb)
		if err != nil {
			return 0, fmt.Errorf("encode keyboard: %w", err)
		}
		markup = string(raw)
	}
	release, err := c.limiter.acquire(ctx, chatID)
	if err != nil {
		return 0, fmt.Errorf("wait for the rate limit: %w", err)
	}
	id, err := c.upload(ctx, method, field, chatID, name, content, caption, markup)
	err = c.classify(method, err)
	c.recordSend(err)
	var ra *application.RetryAfterError
	if errors.As(err, &ra) {
		release(ra.After)
	} else {
		release(0)
	}
	return id, err
}

// upload posts a multipart request, streaming content into it. It is made
// by hand because the library's UploadFiles drops the error code of an
// answer, and the code tells a blocked chat (403) from a refused file (400)
// and a flood wait (429).
func (c *Client) upload(ctx context.Context, method, field string, chatID int64, name string, content io.Reader, caption, markup string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, uploadTimeoutFactor*c.cfg.RequestTimeout)
	defer cancel()
	pr, pw := io.Pipe()
	defer func() { _ = pr.Close() }() // ends the writer if the request stopped reading
	mw := multipart.NewWriter(pw)
	go func() {
		_ = pw.CloseWithError(writeUpload(mw, field, chatID, name, content, caption, markup))
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf(c.endpoint, c.cfg.Token, method), pr)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.pollHTTP.Do(req) // bounded by ctx, not by the short RequestTimeout
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	var ar tgbotapi.APIResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&ar); err != nil {
		return 0, fmt.Errorf("HTTP %d, body is not a Bot API answer: %w", resp.StatusCode, err)
	}
	if !ar.Ok {
		e := &tgbotapi.Error{Code: ar.ErrorCode, Message: ar.Description}
		if ar.Parameters != nil {
			e.ResponseParameters = *ar.Parameters
		}
		return 0, e
	}
	var sent struct {
		MessageID int `json:"message_id"`
	}
	_ = json.Unmarshal(ar.Result, &sent) // sent it is; a result without an id only loses the threading
	return sent.MessageID, nil
}

func writeUpload(mw *multipart.Writer, field string, chatID int64, name string, content io.Reader, caption, markup string) error {
	if err := mw.WriteField("chat_id", strconv.FormatInt(chatID, 10)); err != nil {
		return err
	}
	if caption != "" {
		if err := mw.WriteField("caption", caption); err != nil {
			return err
		}
	}
	if markup != "" {
		if err := mw.WriteField("reply_markup", markup); err != nil {
			return err
		}
	}
	part, err := mw.CreateFormFile(field, name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, content); err != nil {
		return err
	}
	return mw.Close()
}

// splitCaption cuts text for a caption: all of it when it fits, otherwise
// the longest start that fits and ends at a line or a space, and the rest
// to send as a message of its own.
func splitCaption(text string) (caption, rest string) {
	if len(utf16.Encode([]rune(text))) <= maxCaptionLen {
		return text, ""
	}
	n, cut, lastSpace := 0, 0, -1
	for i, r := range text {
		n += utf16.RuneLen(r)
		if n > maxCaptionLen {
			cut = i
			break
		}
		if r == '\n' || r == ' ' {
			lastSpace = i
		}
	}
	if lastSpace > 0 {
		cut = lastSpace
	}
	return text[:cut], strings.TrimLeft(text[cut:], " \n")
}
