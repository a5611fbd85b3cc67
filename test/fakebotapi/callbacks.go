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

// Button is one button of an inline keyboard a message was sent with.
type Button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

// Buttons returns the inline keyboard of the message, row by row; nil
// when it has none.
func (m SentMessage) Buttons() [][]Button { return parseKeyboard(m.ReplyMarkup) }

// AllButtons returns the message's buttons in one list.
func (m SentMessage) AllButtons() []Button {
	var out []Button
	for _, row := range m.Buttons() {
		out = append(out, row...)
	}
	return out
}

func parseKeyboard(markup string) [][]Button {
	if markup == "" {
		return nil
	}
	var kb struct {
		InlineKeyboard [][]Button `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		return nil
	}
	return kb.InlineKeyboard
}

// Buttons returns the inline keyboard the file was sent with.
func (f SentFile) Buttons() [][]Button { return parseKeyboard(f.ReplyMarkup) }

// CallbackAnswer is an answerCallbackQuery call.
type CallbackAnswer struct {
	CallbackID string
	Text       string
	ShowAlert  bool
}

// Edit is an editMessageText or editMessageReplyMarkup call.
type Edit struct {
	Method    string
	ChatID    int64
	MessageID int
	Text      string // editMessageText only
	// ReplyMarkup is the raw new keyboard (JSON); "" removes it.
	ReplyMarkup string
}

// Buttons returns the edit's new keyboard.
func (e Edit) Buttons() [][]Button { return parseKeyboard(e.ReplyMarkup) }

// PressButton queues an update in which the user of private chat chatID
// presses a button with data under the bot's message messageID, as
// Telegram sends it (a callback_query), and returns the callback query's
// id. data need not be a button the bot sent: that is how a test forges
// one.
func (s *Server) PressButton(chatID int64, fromUsername string, messageID int, data string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, raw := s.callbackUpdateLocked(chatID, fromUsername, messageID, data)
	uid, raw := s.assignUpdateIDLocked(raw)
	s.pending = append(s.pending, pendingUpdate{id: uid, raw: raw})
	s.broadcastLocked()
	return id
}

// NewCallbackUpdate builds the update of PressButton, with the next
// update_id, without queuing it; use it with DeliverWebhook.
func (s *Server) NewCallbackUpdate(chatID int64, fromUsername string, messageID int, data string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, raw := s.callbackUpdateLocked(chatID, fromUsername, messageID, data)
	_, raw = s.assignUpdateIDLocked(raw)
	return raw
}

func (s *Server) callbackUpdateLocked(chatID int64, fromUsername string, messageID int, data string) (string, json.RawMessage) {
	s.nextCallbackID++
	id := "cb" + strconv.Itoa(s.nextCallbackID)
	raw, err := json.Marshal(map[string]any{"callback_query": map[string]any{
		"id":            id,
		"from":          wireUser{ID: chatID, FirstName: fromUsername, Username: fromUsername},
		"message":       wireMessage{MessageID: messageID, From: s.botUser(), Chat: wireChat{ID: chatID, Type: chatType(chatID)}, Date: time.Now().Unix(), Text: "…"},
		"chat_instance": strconv.FormatInt(chatID, 10),
		"data":          data,
	}})
	if err != nil {
		panic(fmt.Sprintf("fakebotapi: cannot marshal callback: %v", err))
	}
	return id, raw
}

// SendReply queues a private text message from fromUsername that replies
// to the bot's message replyTo, and returns its update_id.
func (s *Server) SendReply(chatID int64, fromUsername, text string, replyTo int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, raw := s.assignUpdateIDLocked(s.replyUpdateLocked(chatID, fromUsername, text, replyTo))
	s.pending = append(s.pending, pendingUpdate{id: id, raw: raw})
	s.broadcastLocked()
	return id
}

// NewReplyUpdate builds the update of SendReply, with the next update_id,
// without queuing it; use it with DeliverWebhook.
func (s *Server) NewReplyUpdate(chatID int64, fromUsername, text string, replyTo int) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, raw := s.assignUpdateIDLocked(s.replyUpdateLocked(chatID, fromUsername, text, replyTo))
	return raw
}

func (s *Server) replyUpdateLocked(chatID int64, fromUsername, text string, replyTo int) json.RawMessage {
	msg := s.textMessageLocked(chatID, fromUsername, text)
	msg.ReplyTo = &wireMessage{MessageID: replyTo, From: s.botUser(), Chat: msg.Chat, Date: msg.Date, Text: "…"}
	raw, err := json.Marshal(map[string]any{"message": msg})
	if err != nil {
		panic(fmt.Sprintf("fakebotapi: cannot marshal update: %v", err))
	}
	return raw
}

// CallbackAnswers returns the answerCallbackQuery calls, in order.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.callbackAnswers...)
}

// Edits returns the message edits, in order.
func (s *Server) Edits() []Edit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Edit(nil), s.edits...)
}

func (s *Server) answerCallbackQuery(w http.ResponseWriter, params url.Values) {
	id := params.Get("callback_query_id")
	if id == "" {
		writeFailure(w, BadRequest("query_id is empty"))
		return
	}
	alert, _ := strconv.ParseBool(params.Get("show_alert"))
	s.mu.Lock()
	s.callbackAnswers = append(s.callbackAnswers, CallbackAnswer{CallbackID: id, Text: params.Get("text"), ShowAlert: alert})
	s.broadcastLocked()
	s.mu.Unlock()
	writeOK(w, true)
}

func (s *Server) editMessage(w http.ResponseWriter, method string, params url.Values) {
	chatID, err1 := strconv.ParseInt(params.Get("chat_id"), 10, 64)
	msgID, err2 := strconv.Atoi(params.Get("message_id"))
	if err1 != nil || err2 != nil || chatID == 0 || msgID == 0 {
		writeFailure(w, BadRequest("message to edit not found"))
		return
	}
	e := Edit{Method: method, ChatID: chatID, MessageID: msgID, ReplyMarkup: params.Get("reply_markup")}
	if method == "editMessageText" {
		e.Text = params.Get("text")
		if strings.TrimSpace(e.Text) == "" {
			writeFailure(w, BadRequest("message text is empty"))
			return
		}
	}
	s.mu.Lock()
	s.edits = append(s.edits, e)
	s.broadcastLocked()
	s.mu.Unlock()
	writeOK(w, wireMessage{MessageID: msgID, From: s.botUser(), Chat: wireChat{ID: chatID, Type: chatType(chatID)},
		Date: time.Now().Unix(), Text: e.Text})
}
