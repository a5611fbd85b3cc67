package fakebotapi

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// maxMessageLength is Telegram's limit for a message text, in UTF-16 units.
const maxMessageLength = 4096

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
	replyTo, _ := strconv.Atoi(params.Get("reply_to_message_id"))

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
		ReplyTo:               replyTo,
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
