// Package telegram connects the request desk to the Telegram Bot API
// through github.com/go-telegram-bot-api/telegram-bot-api/v5: it sends
// notifications and bot replies (rate-limited), receives updates by long
// polling or by webhook, and hands them to the application.
//
// The bot token is a password: it is never logged, and every error that
// leaves this package has it replaced by "<token>".
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"crm/application"
)

// DefaultAPIURL is the Bot API server used when Config.APIURL is empty.
const DefaultAPIURL = "https://api.telegram.org"

// Config is the Telegram part of the typed configuration.
type Config struct {
	Token  string // CRM_TELEGRAM_TOKEN; required
	APIURL string // CRM_TELEGRAM_API_URL; default DefaultAPIURL
	// RequestTimeout bounds every call but the long poll (default 10s).
	RequestTimeout time.Duration
	// MessagesPerSecond is the most messages sent per second, over all
	// chats (default 25; Telegram allows about 30).
	MessagesPerSecond float64
	// ChatInterval is the least time between two messages to one chat
	// (default 1s, Telegram's limit).
	ChatInterval time.Duration
	// Sends, when set, hears how every message sent ended (metrics).
	Sends SendRecorder
}

func (c Config) withDefaults() Config {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 10 * time.Second
	}
	if c.MessagesPerSecond <= 0 {
		c.MessagesPerSecond = 25
	}
	if c.ChatInterval <= 0 {
		c.ChatInterval = time.Second
	}
	return c
}

// Client talks to the Bot API. It connects lazily: the first call that
// needs the bot asks getMe, so a Telegram outage at start-up delays
// notifications instead of stopping the server.
type Client struct {
	cfg      Config
	endpoint string       // "<url>/bot%s/%s", as tgbotapi wants it
	http     *http.Client // bounded by RequestTimeout
	pollHTTP *http.Client // bounded by each call's context
	limiter  *limiter

	mu  sync.Mutex
	bot *tgbotapi.BotAPI
}

var _ application.BotProfile = (*Client)(nil)

// NewClient returns a client for cfg; it does no I/O. It fails without a
// token or with an API URL that is not http(s).
func NewClient(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if cfg.Token == "" {
		return nil, errors.New("telegram: no bot token")
	}
	u, err := url.Parse(cfg.APIURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("telegram: API URL %q is not an http(s) URL", cfg.APIURL)
	}
	return &Client{
		cfg:      cfg,
		endpoint: strings.TrimRight(cfg.APIURL, "/") + "/bot%s/%s",
		http:     &http.Client{Timeout: cfg.RequestTimeout},
		pollHTTP: &http.Client{},
		limiter:  newLimiter(cfg.MessagesPerSecond, cfg.ChatInterval),
	}, nil
}

// Connect asks getMe once, unless done before, and so learns the bot's
// username. Errors: a transient one (retry later) or an invalid token.
func (c *Client) Connect(ctx context.Context) error {
	_, err := c.botAPI(ctx)
	return err
}

// BotUsername returns the bot's username, or "" until Connect succeeded.
func (c *Client) BotUsername() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bot == nil {
		return ""
	}
	return c.bot.Self.UserName
}

// botAPI returns the library's client, made (with a getMe call) on first
// use. The library's Debug stays off: it would log the token.
func (c *Client) botAPI(ctx context.Context) (*tgbotapi.BotAPI, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bot != nil {
		return c.bot, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	bot, err := tgbotapi.NewBotAPIWithClient(c.cfg.Token, c.endpoint, c.http)
	if err != nil {
		return nil, c.classify("getMe", err)
	}
	bot.Debug = false
	c.bot = bot
	return bot, nil
}

// SendText sends text as a plain message (no parse mode, so nothing needs
// escaping; no link preview) to chatID, waiting for the rate limits first.
// Errors wrap application.ErrChatBlocked (403), application.ErrPermanent
// (400) or are an *application.RetryAfterError (429); anything else is
// transient.
//
// Every try that got as far as Telegram, or failed to reach it, is told to
// Config.Sends; one that ended waiting for ctx is not.
func (c *Client) SendText(ctx context.Context, chatID int64, text string) error {
	_, err := c.Send(ctx, Message{ChatID: chatID, Text: text})
	return err
}

// request calls a Bot API method through the library (no context: the
// client's timeout bounds it).
func (c *Client) request(ctx context.Context, method string, params tgbotapi.Params) error {
	bot, err := c.botAPI(ctx)
	if err != nil {
		return err
	}
	_, err = bot.MakeRequest(method, params)
	return c.classify(method, err)
}

// DeleteWebhook removes the webhook, so that getUpdates works.
func (c *Client) DeleteWebhook(ctx context.Context) error {
	return c.request(ctx, "deleteWebhook", tgbotapi.Params{})
}

// SetWebhook registers webhookURL, with Telegram sending secret in the
// X-Telegram-Bot-Api-Secret-Token header. (The library's WebhookConfig
// has no secret_token, so the call is made by hand.)
func (c *Client) SetWebhook(ctx context.Context, webhookURL, secret string) error {
	return c.request(ctx, "setWebhook", tgbotapi.Params{"url": webhookURL, "secret_token": secret})
}

// GetUpdates long-polls for updates from offset for up to timeout. Unlike
// the library's, the call ends as soon as ctx does. Updates that do not
// decode come back as zero Updates with only UpdateID set, so the offset
// still moves past them.
func (c *Client) GetUpdates(ctx context.Context, offset int, timeout time.Duration) ([]tgbotapi.Update, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout+c.cfg.RequestTimeout)
	defer cancel()
	form := url.Values{"timeout": {strconv.Itoa(int(timeout / time.Second))}}
	if offset != 0 {
		form.Set("offset", strconv.Itoa(offset))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf(c.endpoint, c.cfg.Token, "getUpdates"),
		strings.NewReader(form.Encode()))
	if err != nil {
		return nil, c.classify("getUpdates", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.pollHTTP.Do(req)
	if err != nil {
		return nil, c.classify("getUpdates", err)
	}
	defer resp.Body.Close()
	var ar tgbotapi.APIResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&ar); err != nil {
		return nil, c.classify("getUpdates", fmt.Errorf("HTTP %d, body is not a Bot API answer: %w", resp.StatusCode, err))
	}
	if !ar.Ok {
		e := &tgbotapi.Error{Code: ar.ErrorCode, Message: ar.Description}
		if ar.Parameters != nil {
			e.ResponseParameters = *ar.Parameters
		}
		return nil, c.classify("getUpdates", e)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(ar.Result, &raws); err != nil {
		return nil, c.classify("getUpdates", fmt.Errorf("result is not a list: %w", err))
	}
	updates := make([]tgbotapi.Update, 0, len(raws))
	for _, raw := range raws {
		var u tgbotapi.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			var id struct {
				UpdateID int `json:"update_id"`
			}
			_ = json.Unmarshal(raw, &id)
			u = tgbotapi.Update{UpdateID: id.UpdateID}
		}
		updates = append(updates, u)
	}
	return updates, nil
}

// APIError is a Bot API error answer, with the token-free description.
type APIError struct {
	Method     string
	Code       int
	Message    string
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Message)
}

// classify turns an error of the Bot API into one the application
// understands, with the token removed from its text.
func (c *Client) classify(method string, err error) error {
	if err == nil {
		return nil
	}
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		for _, ctxErr := range []error{context.Canceled, context.DeadlineExceeded} {
			if errors.Is(err, ctxErr) {
				return fmt.Errorf("telegram %s: %s: %w", method, c.redact(err.Error()), ctxErr)
			}
		}
		return fmt.Errorf("telegram %s: %s", method, c.redact(err.Error()))
	}
	apiErr := &APIError{Method: method, Code: te.Code, Message: c.redact(te.Message)}
	switch {
	case te.Code == http.StatusTooManyRequests:
		apiErr.RetryAfter = time.Duration(max(te.RetryAfter, 1)) * time.Second
		return &application.RetryAfterError{After: apiErr.RetryAfter, Err: apiErr}
	case te.Code == http.StatusForbidden:
		return fmt.Errorf("%w: %w", application.ErrChatBlocked, apiErr)
	case te.Code == http.StatusBadRequest:
		return fmt.Errorf("%w: %w", application.ErrPermanent, apiErr)
	}
	return apiErr // 401, 404, 409, 5xx: transient, or a matter of configuration
}

// redact removes the token from s, in every form a URL may carry it.
func (c *Client) redact(s string) string {
	for _, form := range []string{c.cfg.Token, url.PathEscape(c.cfg.Token), url.QueryEscape(c.cfg.Token)} {
		if form != "" {
			s = strings.ReplaceAll(s, form, "<token>")
		}
	}
	return s
}
