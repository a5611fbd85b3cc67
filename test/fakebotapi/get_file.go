package fakebotapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxGetFileBytes is the largest file getFile hands out (Telegram: 20 MB);
// a larger one is "file is too big".
const maxGetFileBytes = 20 << 20

// Media is what a person's message carries besides text: a photo (its
// sizes, smallest first, as Telegram makes them), a document, or one of
// the kinds the desk does not keep.
type Media struct {
	Caption string
	ReplyTo int // the bot's message replied to; 0 for none
	// Photo are the sizes of one photo, smallest first; the largest is
	// the one a bot should fetch.
	Photo        [][]byte
	Document     []byte
	DocumentName string
	// ReportedSize, when positive, is the file_size the update and getFile
	// claim for the document (or the largest photo) instead of its length:
	// how a test makes Telegram understate a file.
	ReportedSize int
	Sticker      bool
	Voice        bool
	Location     bool
}

// userFile is a file a person sent, as getFile and the download see it.
type userFile struct {
	path     string
	content  []byte
	reported int
}

// SendMedia queues a private message from fromUsername carrying m and
// returns its update_id. Its files can be fetched by getFile and
// downloaded from /file/bot<token>/<file_path>.
func (s *Server) SendMedia(chatID int64, fromUsername string, m Media) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := s.textMessageLocked(chatID, fromUsername, "")
	msg.Caption = m.Caption
	if m.ReplyTo != 0 {
		msg.ReplyTo = &wireMessage{MessageID: m.ReplyTo, From: s.botUser(), Chat: msg.Chat, Date: msg.Date, Text: "…"}
	}
	for i, p := range m.Photo {
		size := len(p)
		if i == len(m.Photo)-1 && m.ReportedSize > 0 {
			size = m.ReportedSize
		}
		id := s.storeUserFileLocked("photos/file_%d.jpg", p, size)
		msg.Photo = append(msg.Photo, wirePhotoSize{FileID: id, FileUniqueID: id, Width: 90 * (i + 1), Height: 60 * (i + 1), FileSize: size})
	}
	if m.Document != nil {
		size := len(m.Document)
		if m.ReportedSize > 0 {
			size = m.ReportedSize
		}
		id := s.storeUserFileLocked("documents/file_%d", m.Document, size)
		msg.Document = &wireDocument{FileID: id, FileUniqueID: id, FileName: m.DocumentName, FileSize: size}
	}
	raw, err := json.Marshal(map[string]any{"message": withOthers(msg, m)})
	if err != nil {
		panic(fmt.Sprintf("fakebotapi: cannot marshal update: %v", err))
	}
	id, raw := s.assignUpdateIDLocked(raw)
	s.pending = append(s.pending, pendingUpdate{id: id, raw: raw})
	s.broadcastLocked()
	return id
}

// withOthers adds the sticker, voice or location of m to msg.
func withOthers(msg wireMessage, m Media) any {
	raw, _ := json.Marshal(msg)
	var obj map[string]any
	_ = json.Unmarshal(raw, &obj)
	if m.Sticker {
		obj["sticker"] = map[string]any{"file_id": "sticker1", "file_unique_id": "sticker1", "width": 512, "height": 512,
			"is_animated": false, "is_video": false, "type": "regular"}
	}
	if m.Voice {
		obj["voice"] = map[string]any{"file_id": "voice1", "file_unique_id": "voice1", "duration": 3}
	}
	if m.Location {
		obj["location"] = map[string]any{"latitude": 55.75, "longitude": 37.62}
	}
	return obj
}

func (s *Server) storeUserFileLocked(pathFormat string, content []byte, reported int) string {
	if s.userFiles == nil {
		s.userFiles = map[string]*userFile{}
	}
	n := len(s.userFiles) + 1
	id := "file" + strconv.Itoa(n)
	s.userFiles[id] = &userFile{path: fmt.Sprintf(pathFormat, n), content: content, reported: reported}
	return id
}

// Downloads returns how many file downloads were served, whole or not.
func (s *Server) Downloads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.downloads
}

func (s *Server) getFile(w http.ResponseWriter, params url.Values) {
	id := params.Get("file_id")
	s.mu.Lock()
	f, ok := s.userFiles[id]
	s.mu.Unlock()
	switch {
	case id == "":
		writeFailure(w, BadRequest("file_id is empty"))
	case !ok:
		writeFailure(w, BadRequest("invalid file_id"))
	case len(f.content) > maxGetFileBytes:
		writeFailure(w, BadRequest("file is too big"))
	default:
		writeOK(w, map[string]any{"file_id": id, "file_unique_id": id, "file_size": f.reported, "file_path": f.path})
	}
}

// serveFile answers /file/bot<token>/<path> with the file's bytes.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/file/bot")
	token, path, ok := strings.Cut(rest, "/")
	s.mu.Lock()
	var found *userFile
	for _, f := range s.userFiles {
		if ok && f.path == path {
			found = f
		}
	}
	good := token == s.cfg.token && found != nil && r.Method == http.MethodGet
	if good {
		s.downloads++
	}
	s.broadcastLocked()
	s.mu.Unlock()
	if !good {
		http.NotFound(w, r)
		return
	}
	if found.reported != len(found.content) {
		// A file whose size was understated comes without a length, in
		// chunks, so that only the reader's own limit stops it.
		w.Header().Set("Content-Type", "application/octet-stream")
		for rest := found.content; len(rest) > 0; {
			n := min(len(rest), 4096)
			_, _ = w.Write(rest[:n])
			w.(http.Flusher).Flush()
			rest = rest[n:]
		}
		return
	}
	http.ServeContent(w, r, "", time.Time{}, strings.NewReader(string(found.content)))
}
