package fakebotapi

import (
	"encoding/json"
	"errors"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// maxMessageLength is Telegram's limit for a message text, in UTF-16 units.
const maxMessageLength = 4096

type wireUser struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	Username  string `json:"username,omitempty"`
}

type wireChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
}

type wireEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type wireMessage struct {
	MessageID int          `json:"message_id"`
	From      *wireUser    `json:"from,omitempty"`
	Chat      wireChat     `json:"chat"`
	Date      int64        `json:"date"`
	Text      string       `json:"text,omitempty"`
	Entities  []wireEntity `json:"entities,omitempty"`
}

type wireWebhookInfo struct {
	URL                  string `json:"url"`
	HasCustomCertificate bool   `json:"has_custom_certificate"`
	PendingUpdateCount   int    `json:"pending_update_count"`
}

// chatType guesses the chat type from its ID the way Telegram allocates them:
// users are positive, supergroups and channels are -100…, groups negative.
func chatType(id int64) string {
	switch {
	case id > 0:
		return "private"
	case id <= -1_000_000_000_000:
		return "supergroup"
	default:
		return "group"
	}
}

func (s *Server) botUser() *wireUser {
	return &wireUser{ID: s.botID, IsBot: true, FirstName: "CRM Test Bot", Username: s.cfg.username}
}

// ServeHTTP implements the Bot API: requests go to /bot<TOKEN>/<method>.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, method, ok := parsePath(r.URL.Path)
	if !ok {
		writeFailure(w, notFound())
		return
	}
	key := strings.ToLower(method)

	s.mu.Lock()
	s.requests[key]++
	down := s.down
	s.broadcastLocked()
	s.mu.Unlock()
	// Wake waiters again once the answer is decided.
	defer s.notify()

	if down {
		writeFailure(w, BadGateway())
		return
	}
	if token != s.cfg.token {
		writeFailure(w, unauthorized())
		return
	}
	params, err := parseParams(r)
	if err != nil {
		writeFailure(w, BadRequest("can't parse request: "+err.Error()))
		return
	}

	s.mu.Lock()
	if f, ok := s.takeFailureLocked(key); ok {
		s.mu.Unlock()
		writeFailure(w, f)
		return
	}
	handler := s.handlers[key]
	s.mu.Unlock()

	if handler != nil {
		s.serveCustom(w, handler, params)
		return
	}

	switch key {
	case "getme":
		writeOK(w, s.botUser())
	case "sendmessage":
		s.sendMessage(w, params)
	case "getupdates":
		s.getUpdates(w, r, params)
	case "setwebhook":
		s.setWebhook(w, params)
	case "deletewebhook":
		s.deleteWebhook(w, params)
	case "getwebhookinfo":
		s.getWebhookInfo(w)
	default:
		writeFailure(w, notFound())
	}
}

func (s *Server) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.broadcastLocked()
}

func (s *Server) takeFailureLocked(key string) (Failure, bool) {
	queue := s.failures[key]
	if len(queue) == 0 {
		return Failure{}, false
	}
	f := queue[0]
	if len(queue) == 1 {
		delete(s.failures, key)
	} else {
		s.failures[key] = queue[1:]
	}
	return f, true
}

func (s *Server) serveCustom(w http.ResponseWriter, h HandlerFunc, params url.Values) {
	result, err := h(params)
	if err != nil {
		var f Failure
		if !errors.As(err, &f) {
			f = Failure{StatusCode: http.StatusInternalServerError, Description: err.Error()}
		}
		writeFailure(w, f)
		return
	}
	writeOK(w, result)
}

// parsePath splits "/bot<token>/<method>".
func parsePath(path string) (token, method string, ok bool) {
	rest, ok := strings.CutPrefix(path, "/bot")
	if !ok {
		return "", "", false
	}
	token, method, ok = strings.Cut(rest, "/")
	if !ok || token == "" || method == "" || strings.Contains(method, "/") {
		return "", "", false
	}
	return token, method, true
}

// parseParams reads the request parameters the way the Bot API accepts them:
// query string, application/x-www-form-urlencoded, multipart/form-data or a
// JSON object.
func parseParams(r *http.Request) (url.Values, error) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return nil, err
		}
		_ = r.MultipartForm.RemoveAll()
		return r.Form, nil
	case "application/json":
		values := r.URL.Query()
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		var body map[string]any
		if err := dec.Decode(&body); err != nil {
			return nil, err
		}
		for k, v := range body {
			switch v := v.(type) {
			case nil:
			case string:
				values.Set(k, v)
			case json.Number:
				values.Set(k, v.String())
			case bool:
				values.Set(k, strconv.FormatBool(v))
			default:
				raw, err := json.Marshal(v)
				if err != nil {
					return nil, err
				}
				values.Set(k, string(raw))
			}
		}
		return values, nil
	default:
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		return r.Form, nil
	}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func (s *Server) sendMessage(w http.ResponseWriter, params url.Values) {
	rawChatID := params.Get("chat_id")
	if rawChatID == "" {
		writeFailure(w, BadRequest("chat_id is empty"))
		return
	}
	chatID, err := strconv.ParseInt(rawChatID, 10, 64)
	if err != nil || chatID == 0 {
		writeFailure(w, BadRequest("chat not found"))
		return
	}
	text := params.Get("text")
	if strings.TrimSpace(text) == "" {
		writeFailure(w, BadRequest("message text is empty"))
		return
	}
	if utf16Len(text) > maxMessageLength {
		writeFailure(w, BadRequest("message is too long"))
		return
	}
	disablePreview, _ := strconv.ParseBool(params.Get("disable_web_page_preview"))

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
	msg := SentMessage{
		MessageID:             s.nextMsgID,
		ChatID:                chatID,
		Text:                  text,
		ParseMode:             params.Get("parse_mode"),
		DisableWebPagePreview: disablePreview,
		ReplyMarkup:           params.Get("reply_markup"),
		At:                    now,
	}
	s.nextMsgID++
	s.sent = append(s.sent, msg)
	s.mu.Unlock()

	writeOK(w, wireMessage{
		MessageID: msg.MessageID,
		From:      s.botUser(),
		Chat:      wireChat{ID: chatID, Type: chatType(chatID)},
		Date:      now.Unix(),
		Text:      text,
	})
}

// checkLimitsLocked applies the sliding-window flood limits and returns the
// number of seconds to wait if the message must be rejected.
func (s *Server) checkLimitsLocked(chatID int64, now time.Time) (retryAfter int, limited bool) {
	s.globalTimes = prune(s.globalTimes, now, globalWindow)
	chat := prune(s.chatTimes[chatID], now, s.cfg.chatInterval)
	if len(chat) == 0 {
		delete(s.chatTimes, chatID)
	} else {
		s.chatTimes[chatID] = chat
	}

	var wait time.Duration
	if lim := s.cfg.globalLimit; lim > 0 && len(s.globalTimes) >= lim {
		// The window frees a slot when this entry leaves it.
		limited = true
		wait = max(wait, s.globalTimes[len(s.globalTimes)-lim].Add(globalWindow).Sub(now))
	}
	if lim := s.cfg.chatLimit; lim > 0 && len(chat) >= lim {
		limited = true
		wait = max(wait, chat[len(chat)-lim].Add(s.cfg.chatInterval).Sub(now))
	}
	if !limited {
		return 0, false
	}
	return max(1, int(math.Ceil(wait.Seconds()))), true
}

// prune drops the timestamps that are window or more before now.
func prune(times []time.Time, now time.Time, window time.Duration) []time.Time {
	i := 0
	for i < len(times) && now.Sub(times[i]) >= window {
		i++
	}
	return times[i:]
}

func validSecretToken(secret string) bool {
	if len(secret) > 256 {
		return false
	}
	for _, c := range secret {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func (s *Server) setWebhook(w http.ResponseWriter, params url.Values) {
	rawURL := params.Get("url")
	secret := params.Get("secret_token")
	drop, _ := strconv.ParseBool(params.Get("drop_pending_updates"))

	if rawURL == "" {
		// Telegram treats an empty URL as "remove the webhook".
		s.mu.Lock()
		wasSet := s.webhookURL != ""
		s.clearWebhookLocked(drop)
		s.mu.Unlock()
		if wasSet {
			writeOKDesc(w, true, "Webhook was deleted")
		} else {
			writeOKDesc(w, true, "Webhook is already deleted")
		}
		return
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		writeFailure(w, BadRequest("bad webhook: invalid URL specified"))
		return
	}
	// Real Telegram insists on HTTPS; the fake accepts HTTP too so tests can
	// use a plain httptest.Server.
	if u.Scheme != "https" && u.Scheme != "http" {
		writeFailure(w, BadRequest("bad webhook: An HTTPS URL must be provided for webhook"))
		return
	}
	if !validSecretToken(secret) {
		writeFailure(w, BadRequest("secret token contains unallowed characters"))
		return
	}

	s.mu.Lock()
	alreadySet := s.webhookURL == rawURL && s.webhookSecret == secret
	s.webhookURL, s.webhookSecret = rawURL, secret
	if drop {
		s.pending = nil
	}
	s.broadcastLocked()
	s.mu.Unlock()
	if alreadySet {
		writeOKDesc(w, true, "Webhook is already set")
	} else {
		writeOKDesc(w, true, "Webhook was set")
	}
}

func (s *Server) deleteWebhook(w http.ResponseWriter, params url.Values) {
	drop, _ := strconv.ParseBool(params.Get("drop_pending_updates"))
	s.mu.Lock()
	wasSet := s.webhookURL != ""
	s.clearWebhookLocked(drop)
	s.mu.Unlock()
	if wasSet {
		writeOKDesc(w, true, "Webhook was deleted")
	} else {
		writeOKDesc(w, true, "Webhook is already deleted")
	}
}

func (s *Server) clearWebhookLocked(dropPending bool) {
	s.webhookURL, s.webhookSecret = "", ""
	if dropPending {
		s.pending = nil
	}
	s.broadcastLocked()
}

func (s *Server) getWebhookInfo(w http.ResponseWriter) {
	s.mu.Lock()
	info := wireWebhookInfo{URL: s.webhookURL, PendingUpdateCount: len(s.pending)}
	s.mu.Unlock()
	writeOK(w, info)
}
