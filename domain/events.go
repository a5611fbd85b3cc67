package domain

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Event is something that happened to an aggregate. Aggregates record
// events; the repository stores them with the aggregate in one transaction
// (the outbox) and a dispatcher hands them to handlers after commit.
type Event interface {
	// EventKind names the event type, e.g. "ticket.status_changed".
	EventKind() string
	// StreamKey names the aggregate whose events must be handled in order,
	// e.g. "ticket:12".
	StreamKey() string
}

// Event kinds.
const (
	KindTicketSubmitted     = "ticket.submitted"
	KindTicketStatusChanged = "ticket.status_changed"
	KindTicketAssigned      = "ticket.assigned"
	KindCommentAdded        = "ticket.comment_added"
	KindAttachmentDeleted   = "ticket.attachment_deleted"
	KindTicketRated         = "ticket.rated"
	KindTicketMerged        = "ticket.merged"
	KindTelegramLinked      = "user.telegram_linked"
	KindUserRoleChanged     = "user.role_changed"
	KindUserActiveChanged   = "user.active_changed"
)

// TicketStreamPrefix begins the stream key of every ticket event: the
// ticket's id follows it.
const TicketStreamPrefix = "ticket:"

func ticketStream(id int64) string { return TicketStreamPrefix + strconv.FormatInt(id, 10) }
func userStream(id int64) string   { return "user:" + strconv.FormatInt(id, 10) }

// TicketSubmitted: a person submitted a new ticket.
type TicketSubmitted struct {
	TicketID  int64     `json:"ticket_id"`
	OwnerID   int64     `json:"owner_id"`
	OwnerName string    `json:"owner_name"`
	Title     string    `json:"title"`
	Type      string    `json:"type"`
	At        time.Time `json:"at"`
	// Attachments are the files submitted with the ticket.
	Attachments []AttachmentInfo `json:"attachments,omitempty"`
}

// TicketStatusChanged: staff or the owner moved a ticket. ByReply: the
// owner's comment on the closed ticket reopened it.
type TicketStatusChanged struct {
	TicketID int64     `json:"ticket_id"`
	OwnerID  int64     `json:"owner_id"`
	Title    string    `json:"title"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	ByID     int64     `json:"by_id"`
	ByName   string    `json:"by_name"`
	Comment  string    `json:"comment,omitempty"`
	ByReply  bool      `json:"by_reply,omitempty"`
	At       time.Time `json:"at"`
}

// TicketRated: the owner rated the help of a closed ticket, 1 to 5 stars
// (Previous: the stars they gave this closing before, 0 for none).
type TicketRated struct {
	TicketID int64     `json:"ticket_id"`
	OwnerID  int64     `json:"owner_id"`
	Title    string    `json:"title"`
	Stars    int       `json:"stars"`
	Previous int       `json:"previous,omitempty"`
	ByID     int64     `json:"by_id"`
	ByName   string    `json:"by_name"`
	At       time.Time `json:"at"`
}

// TicketMerged: staff merged the duplicate TicketID into IntoID (same
// owner); Comments and Files say how many moved with it. The duplicate's
// closing is part of it: there is no TicketStatusChanged for it.
type TicketMerged struct {
	TicketID  int64     `json:"ticket_id"`
	IntoID    int64     `json:"into_id"`
	OwnerID   int64     `json:"owner_id"`
	Title     string    `json:"title"`
	IntoTitle string    `json:"into_title"`
	Comments  int       `json:"comments"`
	Files     int       `json:"files"`
	ByID      int64     `json:"by_id"`
	ByName    string    `json:"by_name"`
	At        time.Time `json:"at"`
}

// TicketAssigned: staff gave a ticket to someone (AssigneeID 0: nobody).
type TicketAssigned struct {
	TicketID     int64     `json:"ticket_id"`
	OwnerID      int64     `json:"owner_id"`
	AssigneeID   int64     `json:"assignee_id"`
	AssigneeName string    `json:"assignee_name"`
	ByID         int64     `json:"by_id"`
	ByName       string    `json:"by_name"`
	At           time.Time `json:"at"`
}

// CommentAdded: someone wrote on a ticket.
type CommentAdded struct {
	TicketID   int64     `json:"ticket_id"`
	OwnerID    int64     `json:"owner_id"`
	Title      string    `json:"title"`
	AuthorID   int64     `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Text       string    `json:"text"`
	Internal   bool      `json:"internal"`
	At         time.Time `json:"at"`
	// Attachments are the files the comment carries.
	Attachments []AttachmentInfo `json:"attachments,omitempty"`
}

// AttachmentDeleted: staff deleted a file from a ticket.
type AttachmentDeleted struct {
	TicketID     int64     `json:"ticket_id"`
	OwnerID      int64     `json:"owner_id"`
	AttachmentID int64     `json:"attachment_id"`
	Name         string    `json:"name"`
	ByID         int64     `json:"by_id"`
	ByName       string    `json:"by_name"`
	At           time.Time `json:"at"`
}

// TelegramLinked: a user bound a Telegram chat.
type TelegramLinked struct {
	UserID int64     `json:"user_id"`
	ChatID int64     `json:"chat_id"`
	At     time.Time `json:"at"`
}

// UserRoleChanged: an admin changed someone's role.
type UserRoleChanged struct {
	UserID   int64     `json:"user_id"`
	Username string    `json:"username"`
	ByID     int64     `json:"by_id"`
	ByName   string    `json:"by_name"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	At       time.Time `json:"at"`
}

// UserActiveChanged: an admin deactivated or reactivated someone.
type UserActiveChanged struct {
	UserID   int64     `json:"user_id"`
	Username string    `json:"username"`
	ByID     int64     `json:"by_id"`
	ByName   string    `json:"by_name"`
	Active   bool      `json:"active"`
	At       time.Time `json:"at"`
}

func (TicketSubmitted) EventKind() string       { return KindTicketSubmitted }
func (TicketStatusChanged) EventKind() string   { return KindTicketStatusChanged }
func (TicketAssigned) EventKind() string        { return KindTicketAssigned }
func (CommentAdded) EventKind() string          { return KindCommentAdded }
func (AttachmentDeleted) EventKind() string     { return KindAttachmentDeleted }
func (TicketRated) EventKind() string           { return KindTicketRated }
func (TicketMerged) EventKind() string          { return KindTicketMerged }
func (TelegramLinked) EventKind() string        { return KindTelegramLinked }
func (UserRoleChanged) EventKind() string       { return KindUserRoleChanged }
func (UserActiveChanged) EventKind() string     { return KindUserActiveChanged }
func (e TicketSubmitted) StreamKey() string     { return ticketStream(e.TicketID) }
func (e TicketStatusChanged) StreamKey() string { return ticketStream(e.TicketID) }
func (e TicketAssigned) StreamKey() string      { return ticketStream(e.TicketID) }
func (e CommentAdded) StreamKey() string        { return ticketStream(e.TicketID) }
func (e AttachmentDeleted) StreamKey() string   { return ticketStream(e.TicketID) }
func (e TicketRated) StreamKey() string         { return ticketStream(e.TicketID) }
func (e TicketMerged) StreamKey() string        { return ticketStream(e.TicketID) }
func (e TelegramLinked) StreamKey() string      { return userStream(e.UserID) }
func (e UserRoleChanged) StreamKey() string     { return userStream(e.UserID) }
func (e UserActiveChanged) StreamKey() string   { return userStream(e.UserID) }

// EncodeEvent returns the stored form of e.
func EncodeEvent(e Event) ([]byte, error) { return json.Marshal(e) }

// DecodeEvent rebuilds an event from its kind and stored form.
func DecodeEvent(kind string, payload []byte) (Event, error) {
	var e Event
	var err error
	switch kind {
	case KindTicketSubmitted:
		e, err = decode[TicketSubmitted](payload)
	case KindTicketStatusChanged:
		e, err = decode[TicketStatusChanged](payload)
	case KindTicketAssigned:
		e, err = decode[TicketAssigned](payload)
	case KindCommentAdded:
		e, err = decode[CommentAdded](payload)
	case KindAttachmentDeleted:
		e, err = decode[AttachmentDeleted](payload)
	case KindTicketRated:
		e, err = decode[TicketRated](payload)
	case KindTicketMerged:
		e, err = decode[TicketMerged](payload)
	case KindTelegramLinked:
		e, err = decode[TelegramLinked](payload)
	case KindUserRoleChanged:
		e, err = decode[UserRoleChanged](payload)
	case KindUserActiveChanged:
		e, err = decode[UserActiveChanged](payload)
	default:
		return nil, fmt.Errorf("unknown event kind %q", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", kind, err)
	}
	return e, nil
}

func decode[T Event](payload []byte) (Event, error) {
	var v T
	err := json.Unmarshal(payload, &v)
	return v, err
}

// StoredEvent is an event as the outbox keeps it.
type StoredEvent struct {
	ID     int64
	Kind   string
	Stream string
	Event  Event
	At     time.Time
}
