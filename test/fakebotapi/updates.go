package fakebotapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// SecretTokenHeader is the header carrying the webhook secret token.
const SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token"

const (
	conflictPolling = "terminated by other getUpdates request; make sure that only one bot instance is running"
	conflictWebhook = "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)

type pendingUpdate struct {
	id  int
	raw json.RawMessage
}

// PushUpdate queues an update for getUpdates and returns its update_id. u is
// marshalled to JSON (a tgbotapi.Update, a map, a struct or raw JSON all
// work); see PushRaw for how update_id is chosen.
func (s *Server) PushUpdate(u any) int {
	var raw []byte
	switch v := u.(type) {
	case json.RawMessage:
		raw = v
	case []byte:
		raw = v
	default:
		var err error
		if raw, err = json.Marshal(u); err != nil {
			panic(fmt.Sprintf("fakebotapi: PushUpdate: cannot marshal %T: %v", u, err))
		}
	}
	return s.PushRaw(raw)
}

// PushRaw queues an arbitrary update object (e.g. a callback_query or
// my_chat_member update) for getUpdates and returns its update_id. If the
// object has a positive "update_id" it is kept (later IDs continue after
// it); otherwise the next ID is assigned. It panics if raw is not a JSON
// object.
func (s *Server) PushRaw(raw json.RawMessage) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, raw := s.assignUpdateIDLocked(raw)
	s.pending = append(s.pending, pendingUpdate{id: id, raw: raw})
	s.broadcastLocked()
	return id
}

func (s *Server) assignUpdateIDLocked(raw json.RawMessage) (int, json.RawMessage) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		panic(fmt.Sprintf("fakebotapi: update is not a JSON object: %s", raw))
	}
	var id int
	if v, ok := obj["update_id"]; ok {
		_ = json.Unmarshal(v, &id)
	}
	if id <= 0 {
		id = s.nextUpdateID
		obj["update_id"] = json.RawMessage(strconv.Itoa(id))
	}
	s.nextUpdateID = max(s.nextUpdateID, id+1)
	out, err := json.Marshal(obj)
	if err != nil {
		panic(fmt.Sprintf("fakebotapi: cannot marshal update: %v", err))
	}
	return id, out
}

// SendText queues an update with a private text message from user
// fromUsername (whose user ID equals chatID) and returns its update_id. Like
// Telegram, a text starting with "/" gets a bot_command entity covering the
// command (e.g. "/start" or "/start@crm_test_bot").
func (s *Server) SendText(chatID int64, fromUsername, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, raw := s.textUpdateLocked(chatID, fromUsername, text)
	s.pending = append(s.pending, pendingUpdate{id: id, raw: raw})
	s.broadcastLocked()
	return id
}

// NewTextUpdate builds the same update as SendText, with the next update_id,
// without queuing it; use it with DeliverWebhook.
func (s *Server) NewTextUpdate(chatID int64, fromUsername, text string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, raw := s.textUpdateLocked(chatID, fromUsername, text)
	return raw
}

func (s *Server) textUpdateLocked(chatID int64, fromUsername, text string) (int, json.RawMessage) {
	raw, err := json.Marshal(map[string]any{"message": s.textMessageLocked(chatID, fromUsername, text)})
	if err != nil {
		panic(fmt.Sprintf("fakebotapi: cannot marshal update: %v", err))
	}
	return s.assignUpdateIDLocked(raw)
}

func (s *Server) textMessageLocked(chatID int64, fromUsername, text string) wireMessage {
	firstName := fromUsername
	if firstName == "" {
		firstName = "Test User"
	}
	msg := wireMessage{
		MessageID: s.nextMsgID,
		From:      &wireUser{ID: chatID, FirstName: firstName, Username: fromUsername},
		Chat:      wireChat{ID: chatID, Type: chatType(chatID)},
		Date:      time.Now().Unix(),
		Text:      text,
	}
	if msg.Chat.Type == "private" {
		msg.Chat.Username, msg.Chat.FirstName = fromUsername, firstName
	}
	s.nextMsgID++
	if strings.HasPrefix(text, "/") {
		command := text
		if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
			command = text[:i]
		}
		if len(command) > 1 {
			msg.Entities = []wireEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(command)}}
		}
	}
	return msg
}

// PendingUpdates returns the number of queued updates not yet confirmed by
// a getUpdates offset.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// confirmLocked drops updates confirmed by offset, like Telegram: a positive
// offset forgets updates with a smaller ID, a negative one keeps only the
// last -offset updates.
func (s *Server) confirmLocked(offset int) {
	switch {
	case offset > 0:
		kept := s.pending[:0]
		for _, u := range s.pending {
			if u.id >= offset {
				kept = append(kept, u)
			}
		}
		clear(s.pending[len(kept):])
		s.pending = kept
	case offset < 0:
		if n := -offset; len(s.pending) > n {
			s.pending = append([]pendingUpdate(nil), s.pending[len(s.pending)-n:]...)
		}
	}
}

func intParam(params url.Values, name string, def int) (int, error) {
	v := params.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("field %q must be of type Integer", name)
	}
	return n, nil
}

func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, params url.Values) {
	offset, err1 := intParam(params, "offset", 0)
	limit, err2 := intParam(params, "limit", 100)
	timeout, err3 := intParam(params, "timeout", 0)
	if err := errors.Join(err1, err2, err3); err != nil {
		writeFailure(w, BadRequest(err.Error()))
		return
	}
	if limit < 1 || limit > 100 {
		limit = 100
	}
	s.poll(w, r, offset, limit, timeout)
}

func (s *Server) poll(w http.ResponseWriter, r *http.Request, offset, limit, timeout int) {
	s.mu.Lock()
	if s.webhookURL != "" {
		s.mu.Unlock()
		writeFailure(w, conflict(conflictWebhook))
		return
	}
	s.polls++
	s.maxPolls = max(s.maxPolls, s.polls)
	if s.polls > 1 {
		s.polls--
		s.conflicts++
		s.mu.Unlock()
		writeFailure(w, conflict(conflictPolling))
		return
	}
	s.confirmLocked(offset)
	s.broadcastLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.polls--
		s.broadcastLocked()
		s.mu.Unlock()
	}()

	var expired <-chan time.Time
	if timeout > 0 {
		timer := time.NewTimer(time.Duration(timeout) * time.Second)
		defer timer.Stop()
		expired = timer.C
	}
	for {
		s.mu.Lock()
		if s.down {
			s.mu.Unlock()
			writeFailure(w, BadGateway())
			return
		}
		if len(s.pending) > 0 || expired == nil {
			n := min(limit, len(s.pending))
			result := make([]json.RawMessage, n)
			for i, u := range s.pending[:n] {
				result[i] = u.raw
			}
			s.mu.Unlock()
			writeOK(w, result)
			return
		}
		changed := s.changed
		s.mu.Unlock()

		select {
		case <-changed:
		case <-expired:
			expired = nil
		case <-s.closed:
			expired = nil
		case <-r.Context().Done():
			return
		}
	}
}

// DeliverWebhook POSTs update as JSON to the registered webhook URL, with
// the X-Telegram-Bot-Api-Secret-Token header set to the registered secret (if
// any), like Telegram does in webhook mode. update is marshalled like in
// PushUpdate and sent as is (use NewTextUpdate for a text message). The
// caller must close the response body. It fails if no webhook is set.
func (s *Server) DeliverWebhook(ctx context.Context, update any) (*http.Response, error) {
	whURL, secret := s.Webhook()
	if whURL == "" {
		return nil, errors.New("fakebotapi: DeliverWebhook: no webhook is set")
	}
	var body []byte
	switch v := update.(type) {
	case json.RawMessage:
		body = v
	case []byte:
		body = v
	default:
		var err error
		if body, err = json.Marshal(update); err != nil {
			return nil, fmt.Errorf("fakebotapi: DeliverWebhook: %w", err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, whURL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("fakebotapi: DeliverWebhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(SecretTokenHeader, secret)
	}
	return http.DefaultClient.Do(req)
}
