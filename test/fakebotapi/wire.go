package fakebotapi

// The wire types are the Bot API's JSON objects that the fake answers with
// and puts in updates.

type wireUser struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	Username  string `json:"username,omitempty"`
}

type wireChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
}

type wireEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type wireMessage struct {
	MessageID int             `json:"message_id"`
	From      *wireUser       `json:"from,omitempty"`
	Chat      wireChat        `json:"chat"`
	Date      int64           `json:"date"`
	Text      string          `json:"text,omitempty"`
	Entities  []wireEntity    `json:"entities,omitempty"`
	Caption   string          `json:"caption,omitempty"`
	Photo     []wirePhotoSize `json:"photo,omitempty"`
	Document  *wireDocument   `json:"document,omitempty"`
	ReplyTo   *wireMessage    `json:"reply_to_message,omitempty"`
}

type wirePhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wireDocument struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wireWebhookInfo struct {
	URL                  string `json:"url"`
	HasCustomCertificate bool   `json:"has_custom_certificate"`
	PendingUpdateCount   int    `json:"pending_update_count"`
}

// chatType guesses the chat type from its ID the way Telegram allocates them:
// users are positive, supergroups and channels are -100…, groups negative.
func chatType(id int64) string {
	switch {
	case id > 0:
		return "private"
	case id <= -1_000_000_000_000:
		return "supergroup"
	default:
		return "group"
	}
}

func (s *Server) botUser() *wireUser {
	return &wireUser{ID: s.botID, IsBot: true, FirstName: "CRM Test Bot", Username: s.cfg.username}
}
