package fakebotapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Telegram's limits on files sent by a bot.
const (
	maxCaptionLength = 1024     // UTF-16 units
	maxPhotoBytes    = 10 << 20 // sendPhoto
	maxDocumentBytes = 50 << 20 // sendDocument
)

// SentFile is a sendPhoto or sendDocument call the server accepted.
type SentFile struct {
	MessageID int
	Method    string // "sendPhoto" or "sendDocument"
	ChatID    int64
	Caption   string
	// FileName and Content are the uploaded part's; Ref is the file_id or
	// URL given instead of an upload (then Content is nil).
	FileName string
	Content  []byte
	Ref      string
	// ReplyMarkup is the raw reply_markup parameter (JSON), if any.
	ReplyMarkup string
	At          time.Time
}

// upload is a file part of a multipart request.
type upload struct {
	name    string
	content []byte
}

// sendFile answers sendPhoto (field "photo") and sendDocument (field
// "document"): a multipart upload or a file_id/URL string, an optional
// caption of at most 1024 characters, the flood limits of sendMessage.
// A photo must be an image of at most 10 MB (Telegram answers 400
// otherwise), a document at most 50 MB.
func (s *Server) sendFile(w http.ResponseWriter, method, field string, params url.Values, files map[string]upload) {
	chatID, err := strconv.ParseInt(params.Get("chat_id"), 10, 64)
	if err != nil || chatID == 0 {
		writeFailure(w, BadRequest("chat not found"))
		return
	}
	caption := params.Get("caption")
	if utf16Len(caption) > maxCaptionLength {
		writeFailure(w, BadRequest("message caption is too long"))
		return
	}
	f, uploaded := files[field]
	ref := params.Get(field)
	switch {
	case !uploaded && ref == "":
		writeFailure(w, BadRequest("there is no "+field+" in the request"))
		return
	case uploaded && field == "photo" && len(f.content) > maxPhotoBytes:
		writeFailure(w, BadRequest("PHOTO_SAVE_FILE_INVALID"))
		return
	case uploaded && field == "photo" && !strings.HasPrefix(http.DetectContentType(f.content), "image/"):
		writeFailure(w, BadRequest("IMAGE_PROCESS_FAILED"))
		return
	case uploaded && len(f.content) > maxDocumentBytes:
		writeFailure(w, BadRequest("file is too big"))
		return
	}

	s.mu.Lock()
	if s.blocked[chatID] {
		s.mu.Unlock()
		writeFailure(w, Blocked())
		return
	}
	now := time.Now()
	if retryAfter, limited := s.checkLimitsLocked(chatID, now); limited {
		s.count429++
		s.mu.Unlock()
		writeFailure(w, TooManyRequests(retryAfter))
		return
	}
	s.globalTimes = append(s.globalTimes, now)
	s.chatTimes[chatID] = append(s.chatTimes[chatID], now)
	sent := SentFile{MessageID: s.nextMsgID, Method: method, ChatID: chatID, Caption: caption,
		FileName: f.name, Content: f.content, ReplyMarkup: params.Get("reply_markup"), At: now}
	if !uploaded {
		sent.Ref = ref
	}
	s.nextMsgID++
	s.files = append(s.files, sent)
	s.mu.Unlock()

	msg := wireMessage{MessageID: sent.MessageID, Chat: wireChat{ID: chatID, Type: chatType(chatID)},
		Date: now.Unix(), Caption: caption}
	fileID := "file-" + strconv.Itoa(sent.MessageID)
	if field == "photo" {
		msg.Photo = []wirePhotoSize{{FileID: fileID, FileUniqueID: fileID, FileSize: len(f.content)}}
	} else {
		msg.Document = &wireDocument{FileID: fileID, FileUniqueID: fileID, FileName: f.name, FileSize: len(f.content)}
	}
	writeOK(w, msg)
}

// SentFiles returns a copy of the files accepted by sendPhoto and
// sendDocument, in order.
func (s *Server) SentFiles() []SentFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentFile(nil), s.files...)
}

// WaitForSentFiles waits until at least n files were accepted and returns
// them all, failing tb if that does not happen within timeout.
func (s *Server) WaitForSentFiles(tb testing.TB, n int, timeout time.Duration) []SentFile {
	tb.Helper()
	if !s.wait(timeout, func() bool { return len(s.SentFiles()) >= n }) {
		tb.Fatalf("fakebotapi: timed out after %v waiting for %d sent file(s); got %d (sendPhoto requests: %d, sendDocument requests: %d)",
			timeout, n, len(s.SentFiles()), s.Requests("sendPhoto"), s.Requests("sendDocument"))
	}
	return s.SentFiles()
}
