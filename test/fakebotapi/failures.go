package fakebotapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Failure is an error answer of the Bot API: HTTP status and error_code
// StatusCode, the description, and parameters.retry_after when RetryAfter is
// positive. Build one with the constructors below or as a literal. A Failure
// is also an error, so a HandlerFunc can return it.
type Failure struct {
	StatusCode  int
	Description string
	RetryAfter  int

	html bool // answer with nginx's HTML page instead of JSON
}

// Error returns the description, like tgbotapi.Error does.
func (f Failure) Error() string {
	return f.Description
}

// Status500 is a 500 "Internal Server Error" answer.
func Status500() Failure {
	return Failure{StatusCode: http.StatusInternalServerError, Description: "Internal Server Error"}
}

// TooManyRequests is a 429 "Too Many Requests: retry after N" answer with
// parameters.retry_after set to retryAfter seconds.
func TooManyRequests(retryAfter int) Failure {
	return Failure{
		StatusCode:  http.StatusTooManyRequests,
		Description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		RetryAfter:  retryAfter,
	}
}

// Blocked is a 403 "Forbidden: bot was blocked by the user" answer.
func Blocked() Failure {
	return Failure{StatusCode: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}
}

// BadRequest is a 400 answer. desc is prefixed with "Bad Request: " unless
// it already is, e.g. BadRequest("chat not found").
func BadRequest(desc string) Failure {
	if !strings.HasPrefix(desc, "Bad Request") {
		desc = "Bad Request: " + desc
	}
	return Failure{StatusCode: http.StatusBadRequest, Description: desc}
}

// BadGateway is a 502 answer with the non-JSON HTML body Telegram's front
// end returns when the Bot API is down (see Server.SetDown).
func BadGateway() Failure {
	return Failure{StatusCode: http.StatusBadGateway, Description: "Bad Gateway", html: true}
}

func unauthorized() Failure {
	return Failure{StatusCode: http.StatusUnauthorized, Description: "Unauthorized"}
}

func notFound() Failure {
	return Failure{StatusCode: http.StatusNotFound, Description: "Not Found"}
}

func conflict(desc string) Failure {
	return Failure{StatusCode: http.StatusConflict, Description: "Conflict: " + desc}
}

const badGatewayHTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
	"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

type okResponse struct {
	OK          bool   `json:"ok"`
	Result      any    `json:"result"`
	Description string `json:"description,omitempty"`
}

type errorResponse struct {
	OK          bool                `json:"ok"`
	ErrorCode   int                 `json:"error_code"`
	Description string              `json:"description"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

type responseParameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"ok":false,"error_code":500,"description":"fakebotapi: cannot marshal result"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeOK(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, okResponse{OK: true, Result: result})
}

func writeOKDesc(w http.ResponseWriter, result any, desc string) {
	writeJSON(w, http.StatusOK, okResponse{OK: true, Result: result, Description: desc})
}

func writeFailure(w http.ResponseWriter, f Failure) {
	if f.html {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.StatusCode)
		_, _ = w.Write([]byte(badGatewayHTML))
		return
	}
	resp := errorResponse{ErrorCode: f.StatusCode, Description: f.Description}
	if f.RetryAfter > 0 {
		resp.Parameters = &responseParameters{RetryAfter: f.RetryAfter}
	}
	writeJSON(w, f.StatusCode, resp)
}

// SetDown simulates Telegram being unreachable: while down, every request
// (including long polls already in progress) is answered with
// 502 Bad Gateway and an HTML body, as Telegram's nginx front end does. The
// tgbotapi library reports that as a JSON decoding error, not a
// *tgbotapi.Error.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
	s.broadcastLocked()
}

// BlockChat makes every sendMessage to chatID answer 403 "Forbidden: bot was
// blocked by the user" until UnblockChat is called.
func (s *Server) BlockChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// UnblockChat undoes BlockChat.
func (s *Server) UnblockChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// FailNext makes the next n requests to method (case-insensitive) answer
// with f instead of being processed. Calls accumulate: failures queued by
// earlier calls are answered first. Injected failures are never recorded as
// sent messages and do not count in Count429.
func (s *Server) FailNext(method string, n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	for range n {
		s.failures[key] = append(s.failures[key], f)
	}
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
