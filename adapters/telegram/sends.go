package telegram

import (
	"errors"

	"crm/application"
)

// SendRecorder hears how each message the client tried to send ended, for
// metrics (web.Metrics is one). It is called from many goroutines and must
// not block.
type SendRecorder interface {
	// CountTelegramSend counts one sendMessage call by result: one of the
	// Send* constants.
	CountTelegramSend(result string)
}

// The results a SendRecorder hears.
const (
	SendOK          = "ok"           // sent
	SendRateLimited = "rate_limited" // 429: Telegram asked to wait
	SendBlocked     = "blocked"      // 403: the person blocked the bot
	SendRejected    = "rejected"     // 400: Telegram refused the message for good
	SendError       = "error"        // anything else: network, 5xx, a bad token
)

// sendResult names the result of a send that returned err (classified).
func sendResult(err error) string {
	var ra *application.RetryAfterError
	switch {
	case err == nil:
		return SendOK
	case errors.As(err, &ra):
		return SendRateLimited
	case errors.Is(err, application.ErrChatBlocked):
		return SendBlocked
	case errors.Is(err, application.ErrPermanent):
		return SendRejected
	}
	return SendError
}

// recordSend tells the recorder, if any, how a send that returned err ended.
func (c *Client) recordSend(err error) {
	if c.cfg.Sends != nil {
		c.cfg.Sends.CountTelegramSend(sendResult(err))
	}
}
