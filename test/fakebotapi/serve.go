package fakebotapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ServeHTTP implements the Bot API: requests go to /bot<TOKEN>/<method>,
// downloads to /file/bot<TOKEN>/<file_path>.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/file/bot") {
		s.serveFile(w, r)
		return
	}
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
	params, files, err := parseParams(r)
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
	case "sendphoto":
		s.sendFile(w, "sendPhoto", "photo", params, files)
	case "senddocument":
		s.sendFile(w, "sendDocument", "document", params, files)
	case "answercallbackquery":
		s.answerCallbackQuery(w, params)
	case "editmessagetext":
		s.editMessage(w, "editMessageText", params)
	case "editmessagereplymarkup":
		s.editMessage(w, "editMessageReplyMarkup", params)
	case "getfile":
		s.getFile(w, params)
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
// JSON object, and the files of a multipart request by field.
func parseParams(r *http.Request) (url.Values, map[string]upload, error) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return nil, nil, err
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
		files := map[string]upload{}
		for field, headers := range r.MultipartForm.File {
			f, err := headers[0].Open()
			if err != nil {
				return nil, nil, err
			}
			content, err := io.ReadAll(f)
			_ = f.Close()
			if err != nil {
				return nil, nil, err
			}
			files[field] = upload{name: headers[0].Filename, content: content}
		}
		return r.Form, files, nil
	case "application/json":
		values := r.URL.Query()
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		var body map[string]any
		if err := dec.Decode(&body); err != nil {
			return nil, nil, err
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
					return nil, nil, err
				}
				values.Set(k, string(raw))
			}
		}
		return values, nil, nil
	default:
		if err := r.ParseForm(); err != nil {
			return nil, nil, err
		}
		return r.Form, nil, nil
	}
}
