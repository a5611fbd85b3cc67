package application

import "strings"

// TelegramApp gathers the Telegram use cases for the edges: the account
// page (status, link, unlink, staff alerts), the bot (messages), and the
// staff page of deliveries.
type TelegramApp struct {
	GetTelegramStatus GetTelegramStatusHandler
	IssueTelegramLink IssueTelegramLinkHandler
	UnlinkTelegram    UnlinkTelegramHandler
	SetStaffAlerts    SetStaffAlertsHandler
	HandleBotMessage  HandleBotMessageHandler
	HandleBotCallback HandleBotCallbackHandler
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
	// Tickets and BotChats let the bot open, list, show and write on
	// tickets; without either it only links and unlinks chats.
	Tickets   Tickets
	BotChats  BotChats
	BotFiles  BotFileFetcher // nil: files sent to the bot are refused
	Limits    AttachmentLimits
	PublicURL string // CRM_PUBLIC_URL, for links; "" for none
	// SLAPolicies are the response targets tickets opened through the bot
	// are filed under (nil: the defaults).
	SLAPolicies SLAPolicies
}

func NewTelegramApp(d TelegramDeps) *TelegramApp {
	msg := NewHandleBotMessageHandler(d.LinkTokens, d.Users, d.Clock)
	msg.bot, msg.publicURL = newBotTickets(d), strings.TrimRight(d.PublicURL, "/")
	return &TelegramApp{
		GetTelegramStatus: NewGetTelegramStatusHandler(d.Users, d.Bot),
		IssueTelegramLink: NewIssueTelegramLinkHandler(d.LinkTokens, d.Bot, d.Clock),
		UnlinkTelegram:    NewUnlinkTelegramHandler(d.Users),
		SetStaffAlerts:    NewSetStaffAlertsHandler(d.Users),
		HandleBotMessage:  msg,
		HandleBotCallback: newHandleBotCallbackHandler(d, msg.bot),
		ListDeliveries:    NewListDeliveriesHandler(d.Deliveries),
		RetryDelivery:     NewRetryDeliveryHandler(d.Deliveries, d.Clock, d.Waker),
	}
}
