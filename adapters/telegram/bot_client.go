package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"crm/application"
)

// Message is a message to send: plain text (no parse mode, no link
// preview), with an inline keyboard when Keyboard is set, as a reply to
// ReplyTo when it is not 0.
type Message struct {
	ChatID   int64
	Text     string
	Keyboard *tgbotapi.InlineKeyboardMarkup
	ReplyTo  int
}

// Send sends m, waiting for the rate limits first, and returns the sent
// message's id. Errors as SendText's.
func (c *Client) Send(ctx context.Context, m Message) (int, error) {
	bot, err := c.botAPI(ctx)
	if err != nil {
		if ctx.Err() == nil {
			c.recordSend(err)
		}
		return 0, err
	}
	release, err := c.limiter.acquire(ctx, m.ChatID)
	if err != nil {
		return 0, fmt.Errorf("wait for the rate limit: %w", err)
	}
	msg := tgbotapi.NewMessage(m.ChatID, m.Text)
	msg.DisableWebPagePreview = true
	msg.ReplyToMessageID = m.ReplyTo
	msg.AllowSendingWithoutReply = true
	if m.Keyboard != nil {
		msg.ReplyMarkup = *m.Keyboard
	}
	sent, err := bot.Send(msg)
	err = c.classify("sendMessage", err)
	c.recordSend(err)
	var ra *application.RetryAfterError
	if errors.As(err, &ra) {
		release(ra.After)
	} else {
		release(0)
	}
	if err != nil {
		return 0, err
	}
	return sent.MessageID, nil
}

// AnswerCallback answers a button press with a short text shown over the
// chat (answerCallbackQuery); Telegram waits for it to stop the button's
// spinner.
func (c *Client) AnswerCallback(ctx context.Context, callbackID, text string) error {
	bot, err := c.botAPI(ctx)
	if err != nil {
		return err
	}
	_, err = bot.Request(tgbotapi.NewCallback(callbackID, text))
	return c.classify("answerCallbackQuery", err)
}

// EditKeyboard replaces the inline keyboard of the bot's message; nil
// removes it.
func (c *Client) EditKeyboard(ctx context.Context, chatID int64, messageID int, kb *tgbotapi.InlineKeyboardMarkup) error {
	bot, err := c.botAPI(ctx)
	if err != nil {
		return err
	}
	params := tgbotapi.Params{}
	params.AddFirstValid("chat_id", chatID)
	params.AddNonZero("message_id", messageID)
	if kb != nil {
		raw, err := json.Marshal(kb)
		if err != nil {
			return fmt.Errorf("encode keyboard: %w", err)
		}
		params["reply_markup"] = string(raw)
	}
	_, err = bot.MakeRequest("editMessageReplyMarkup", params)
	return c.classify("editMessageReplyMarkup", err)
}
