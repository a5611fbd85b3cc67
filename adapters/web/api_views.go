package web

import (
	"time"

	"crm/application"
	"crm/domain"
)

// The JSON shapes of the API, as openapi.json describes them. Ids are
// integers; times are RFC 3339 in UTC.

// apiUserRef names a person.
type apiUserRef struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
}

// apiMe is the token's own account.
type apiMe struct {
	ID             int64     `json:"id"`
	Username       string    `json:"username"`
	Role           string    `json:"role"`
	Language       string    `json:"language"` // "" until chosen on /account
	TelegramLinked bool      `json:"telegram_linked"`
	CreatedAt      time.Time `json:"created_at"`
}

func newAPIMe(u *domain.User) apiMe {
	_, linked := u.TelegramChatID()
	return apiMe{ID: u.ID(), Username: u.Username(), Role: u.Role().String(), Language: u.Language(),
		TelegramLinked: linked, CreatedAt: u.CreatedAt()}
}

// apiTicketSummary is a ticket in a list.
type apiTicketSummary struct {
	ID        int64       `json:"id"`
	Title     string      `json:"title"`
	Type      string      `json:"type"`
	Status    string      `json:"status"`
	Owner     apiUserRef  `json:"owner"`
	Assignee  *apiUserRef `json:"assignee"` // null: nobody has taken it
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
	Rating    *int        `json:"rating"` // null: not rated this closing
	apiTargets
}

// newAPITicketSummary is t as lists show it; overdue at now.
func newAPITicketSummary(t *domain.Ticket, now time.Time) apiTicketSummary {
	s := apiTicketSummary{
		ID: t.ID(), Title: t.Title(), Type: t.Type().String(), Status: t.Status().String(),
		Owner:     apiUserRef{ID: t.OwnerID(), Username: t.OwnerName()},
		CreatedAt: t.CreatedAt(), UpdatedAt: t.UpdatedAt(),
		apiTargets: newAPITargets(t, now),
	}
	if t.AssigneeID() != 0 {
		s.Assignee = &apiUserRef{ID: t.AssigneeID(), Username: t.AssigneeName()}
	}
	if stars := t.Rating(); stars != 0 {
		s.Rating = &stars
	}
	return s
}

// apiTicket is one ticket with its text, comments and status history, as
// its reader may see it: internal notes for staff only, next_statuses for
// staff and the owner.
type apiTicket struct {
	apiTicketSummary
	Text         string            `json:"text"`
	Attachments  []apiAttachment   `json:"attachments"`
	Comments     []apiComment      `json:"comments"`
	History      []apiStatusChange `json:"history"`
	NextStatuses []string          `json:"next_statuses,omitempty"`
}

// apiAttachment is a file on the ticket (comment_id null) or on one of its
// comments; url serves it to a browser session or to the API token.
type apiAttachment struct {
	ID          int64  `json:"id"`
	CommentID   *int64 `json:"comment_id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	URL         string `json:"url"`
}

type apiComment struct {
	ID        int64      `json:"id"`
	Author    apiUserRef `json:"author"`
	Text      string     `json:"text"`
	Internal  bool       `json:"internal"`
	CreatedAt time.Time  `json:"created_at"`
}

type apiStatusChange struct {
	ID      int64      `json:"id"`
	By      apiUserRef `json:"by"`
	From    string     `json:"from"`
	To      string     `json:"to"`
	Comment string     `json:"comment"`
	At      time.Time  `json:"at"`
	ByReply bool       `json:"by_reply,omitempty"` // the owner's comment reopened it
}

func newAPITicket(v application.TicketView, now time.Time) apiTicket {
	t := v.Ticket
	out := apiTicket{
		apiTicketSummary: newAPITicketSummary(t, now),
		Text:             t.Text(),
		Attachments:      make([]apiAttachment, len(v.Attachments)),
		Comments:         make([]apiComment, len(v.Comments)),
		History:          make([]apiStatusChange, len(t.History())),
	}
	for i, a := range v.Attachments {
		out.Attachments[i] = apiAttachment{ID: a.ID, Name: a.Name, ContentType: a.ContentType, Size: a.Size, URL: attachmentURL(a)}
		if a.CommentID != 0 {
			out.Attachments[i].CommentID = &a.CommentID
		}
	}
	for i, c := range v.Comments {
		out.Comments[i] = apiComment{ID: c.ID, Author: apiUserRef{ID: c.AuthorID, Username: c.AuthorName},
			Text: c.Text, Internal: c.Internal, CreatedAt: c.At}
	}
	for i, h := range t.History() {
		out.History[i] = apiStatusChange{ID: h.ID, By: apiUserRef{ID: h.ByID, Username: h.ByName},
			From: h.From.String(), To: h.To.String(), Comment: h.Comment, At: h.At, ByReply: h.ByReply}
	}
	for _, s := range v.Next {
		out.NextStatuses = append(out.NextStatuses, s.String())
	}
	return out
}

// apiTicketList is one page of tickets. next_before is the before of the
// next page, null on the last one.
type apiTicketList struct {
	Tickets    []apiTicketSummary `json:"tickets"`
	Total      int                `json:"total"`
	NextBefore *int64             `json:"next_before"`
}

func newAPITicketList(p application.TicketPage, now time.Time) apiTicketList {
	out := apiTicketList{Tickets: make([]apiTicketSummary, len(p.Tickets)), Total: p.Total}
	for i, t := range p.Tickets {
		out.Tickets[i] = newAPITicketSummary(t, now)
	}
	if p.Next != 0 {
		next := p.Next
		out.NextBefore = &next
	}
	return out
}

// apiQueue is one page of the staff queue, with the number of matching
// tickets in each status (the status filter aside).
type apiQueue struct {
	apiTicketList
	Counts map[string]int `json:"counts"`
	// CountsCapped: a search stopped counting; total and counts are lower
	// bounds.
	CountsCapped bool `json:"counts_capped"`
}

func newAPIQueue(p application.TicketPage, now time.Time) apiQueue {
	q := apiQueue{apiTicketList: newAPITicketList(p, now), Counts: map[string]int{}, CountsCapped: p.CountCapped}
	for _, s := range domain.Statuses() {
		q.Counts[s.String()] = p.ByStatus[s]
	}
	return q
}
