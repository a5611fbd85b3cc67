package fakebotapi

import (
	"net/http"
	"net/url"
	"strconv"
)

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
