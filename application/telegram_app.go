package application

// TelegramApp gathers the Telegram use cases for the edges: the account
// page (status, link, unlink), the bot (messages), and the staff page of
// deliveries.
type TelegramApp struct {
	GetTelegramStatus GetTelegramStatusHandler
	IssueTelegramLink IssueTelegramLinkHandler
	UnlinkTelegram    UnlinkTelegramHandler
	HandleBotMessage  HandleBotMessageHandler
	ListDeliveries    ListDeliveriesHandler
	RetryDelivery     RetryDeliveryHandler
}

// TelegramDeps are the ports the Telegram use cases need.
type TelegramDeps struct {
	Users      Users
	LinkTokens LinkTokens
	Deliveries Deliveries
	Clock      Clock
	Bot        BotProfile // nil: Telegram is off
	Waker      Waker      // the dispatcher, woken after a staff retry; may be nil
}

func NewTelegramApp(d TelegramDeps) *TelegramApp {
	return &TelegramApp{
		GetTelegramStatus: NewGetTelegramStatusHandler(d.Users, d.Bot),
		IssueTelegramLink: NewIssueTelegramLinkHandler(d.LinkTokens, d.Bot, d.Clock),
		UnlinkTelegram:    NewUnlinkTelegramHandler(d.Users),
		HandleBotMessage:  NewHandleBotMessageHandler(d.LinkTokens, d.Users, d.Clock),
		ListDeliveries:    NewListDeliveriesHandler(d.Deliveries),
		RetryDelivery:     NewRetryDeliveryHandler(d.Deliveries, d.Clock, d.Waker),
	}
}
