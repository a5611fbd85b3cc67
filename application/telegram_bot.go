package application

// BotProfile tells what the account page needs to know about the Telegram
// bot. A nil BotProfile means Telegram is off.
type BotProfile interface {
	// BotUsername returns the bot's username as getMe reports it, or ""
	// while it is not known yet (Telegram has not answered since start).
	BotUsername() string
}
