package telegram

import (
	"context"
	"crm/application"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// SecretTokenHeader carries the webhook secret in Telegram's requests.
const SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookPath is where Telegram posts updates in webhook mode.
const WebhookPath = "/telegram/webhook"

// maxUpdateSize bounds the body of a webhook request.
const maxUpdateSize = 1 << 20

// Webhook receives updates by webhook (CRM_TELEGRAM_MODE=webhook): Start
// registers PUBLIC_URL/telegram/webhook with setWebhook, and ServeHTTP is
// the handler of POST /telegram/webhook.
type Webhook struct {
	client  *Client
	updates *Updates
	url     string
	secret  []byte
	log     *slog.Logger

	bg application.Background
}

var _ http.Handler = (*Webhook)(nil)

// NewWebhook returns the webhook receiver for the site at publicURL
// (CRM_PUBLIC_URL) with secret (CRM_TELEGRAM_WEBHOOK_SECRET). It fails
// without a public http(s) URL, or without a secret of 1–256 characters of
// A-Z, a-z, 0-9, _ and - (what Telegram accepts).
func NewWebhook(client *Client, updates *Updates, publicURL, secret string, log *slog.Logger) (*Webhook, error) {
	u, err := url.Parse(publicURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("telegram webhook: public URL %q is not an http(s) URL", publicURL)
	}
	if !validSecret(secret) {
		return nil, errors.New("telegram webhook: the secret must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
	}
	return &Webhook{bg: application.Background{Name: "telegram webhook"},
		client: client, updates: updates, log: log,
		url: strings.TrimRight(publicURL, "/") + WebhookPath, secret: []byte(secret),
	}, nil
}

func validSecret(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Start registers the webhook in the background, retrying with backoff
// until Telegram accepts it, and returns at once.
func (w *Webhook) Start(context.Context) error {
	return w.bg.Start(w.register)
}

// Stop ends the registration if it is still trying. The webhook stays set
// at Telegram, for the other replicas and the next start.
func (w *Webhook) Stop(ctx context.Context) error {
	return w.bg.Stop(ctx)
}

func (w *Webhook) register(ctx context.Context) {
	b := newBackoff(time.Second, time.Minute)
	for {
		err := w.client.SetWebhook(ctx, w.url, string(w.secret))
		if err == nil {
			w.log.Info("telegram: webhook registered", "url", w.url, "bot", w.client.BotUsername())
			return
		}
		if ctx.Err() != nil {
			return
		}
		wait := b.next()
		w.log.Warn("telegram: setWebhook failed", "err", err, "retry_in", wait)
		if sleepUntil(ctx, time.Now().Add(wait)) != nil {
			return
		}
	}
}

// ServeHTTP handles POST /telegram/webhook: 401 without the right secret
// header; otherwise the update is handled and the answer is 200, even for
// a body that is not an update (logged), so that Telegram does not send it
// again and again.
func (w *Webhook) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		rw.Header().Set("Allow", http.MethodPost)
		http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretTokenHeader)), w.secret) != 1 {
		w.log.Warn("telegram: webhook request without the right secret", "remote", r.RemoteAddr)
		http.Error(rw, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxUpdateSize))
	var u tgbotapi.Update
	if err == nil {
		err = json.Unmarshal(body, &u)
	}
	if err != nil {
		w.log.Warn("telegram: webhook body is not an update; ignored", "err", err, "size", len(body))
		rw.WriteHeader(http.StatusOK)
		return
	}
	// Handle it to the end even if Telegram hangs up, within a bound.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
	defer cancel()
	w.updates.Handle(ctx, u)
	rw.WriteHeader(http.StatusOK)
}
