package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Ticket limits.
const (
	TitleMaxLen   = 120
	TextMaxLen    = 5000
	CommentMaxLen = 5000
)

// StatusChange is one step of a ticket's history: who moved it, when, from
// where to where, and why.
type StatusChange struct {
	ID      int64
	ByID    int64
	ByName  string
	From    Status
	To      Status
	Comment string
	At      time.Time
	// ByReply marks the reopening of a closed ticket by its owner's
	// comment, rather than by a change of status someone chose.
	ByReply bool
	// MergedInto marks the closing of a duplicate merged into that
	// ticket; MergedFrom marks the step of the ticket that duplicate was
	// merged into (From and To are then its status at the time). See
	// MergeTickets.
	MergedInto int64
	MergedFrom int64
}

// Comment is a message on a ticket. An internal comment is a staff note the
// owner never sees.
type Comment struct {
	ID         int64
	AuthorID   int64
	AuthorName string
	Text       string
	Internal   bool
	At         time.Time
}

// Ticket is a request from a person. Usernames are kept beside ids because
// usernames never change and every listing shows them.
type Ticket struct {
	id           int64
	ownerID      int64
	ownerName    string
	title        string
	text         string
	typ          TicketType
	status       Status
	assigneeID   int64 // 0 means unassigned
	assigneeName string
	createdAt    time.Time
	updatedAt    time.Time
	history      []StatusChange
	comments     []Comment
	attachments  []Attachment         // stored ones, as loaded
	deleted      []AttachmentDeletion // stored records of deleted files
	rating       int                  // the owner's stars for the current closing; 0: none
	ratedAt      time.Time
	sla          TicketTargets // response targets; see ticket_sla.go

	pending []PendingUpload      // files attached since made or loaded
	removed []AttachmentDeletion // stored files deleted since loaded
	events  []Event
}

// NewTicket validates the input and returns an open ticket owned by owner,
// with uploads attached to it, recording TicketSubmitted. Every wrong field
// is reported at once: a title or text that is empty after trimming, too
// long, or not ValidText (CR LF becomes LF first); a file that is not one
// the desk keeps (see checkUpload), on "files".
func NewTicket(owner *User, title, text, typ string, now time.Time, uploads ...Upload) (*Ticket, error) {
	title, text = strings.TrimSpace(NormalizeNewlines(title)), strings.TrimSpace(NormalizeNewlines(text))
	var errs ValidationErrors
	if e, bad := fieldFault("title", title, TitleMaxLen); bad {
		errs = append(errs, e)
	}
	if e, bad := fieldFault("text", text, TextMaxLen); bad {
		errs = append(errs, e)
	}
	tt, err := ParseTicketType(typ)
	if err != nil {
		errs = append(errs, err.(ValidationError))
	}
	if err := checkUploads(uploads); err != nil {
		errs = append(errs, err.(ValidationError))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	now = now.UTC()
	t := &Ticket{
		ownerID: owner.ID(), ownerName: owner.Username(),
		title: title, text: text, typ: tt, status: StatusOpen,
		createdAt: now, updatedAt: now,
	}
	infos := t.attach(owner, uploads, -1, false, now)
	t.record(TicketSubmitted{OwnerID: t.ownerID, OwnerName: t.ownerName, Title: title, Type: tt.String(), At: now,
		Attachments: infos})
	return t, nil
}

// RehydrateTicket rebuilds a stored ticket. Only storage adapters call it.
// The ticket keeps copies of history and comments, so the caller may reuse
// its slices.
func RehydrateTicket(id, ownerID int64, ownerName, title, text string, typ TicketType, status Status,
	assigneeID int64, assigneeName string, createdAt, updatedAt time.Time,
	history []StatusChange, comments []Comment) *Ticket {
	return &Ticket{
		id: id, ownerID: ownerID, ownerName: ownerName, title: title, text: text, typ: typ,
		status: status, assigneeID: assigneeID, assigneeName: assigneeName,
		createdAt: createdAt.UTC(), updatedAt: updatedAt.UTC(),
		history: slices.Clone(history), comments: slices.Clone(comments),
	}
}

func (t *Ticket) ID() int64            { return t.id }
func (t *Ticket) OwnerID() int64       { return t.ownerID }
func (t *Ticket) OwnerName() string    { return t.ownerName }
func (t *Ticket) Title() string        { return t.title }
func (t *Ticket) Text() string         { return t.text }
func (t *Ticket) Type() TicketType     { return t.typ }
func (t *Ticket) Status() Status       { return t.status }
func (t *Ticket) AssigneeID() int64    { return t.assigneeID }
func (t *Ticket) AssigneeName() string { return t.assigneeName }
func (t *Ticket) CreatedAt() time.Time { return t.createdAt }
func (t *Ticket) UpdatedAt() time.Time { return t.updatedAt }

// History returns a copy of the status changes, oldest first: changing it
// does not change the ticket.
func (t *Ticket) History() []StatusChange { return slices.Clone(t.history) }

// Comments returns a copy of every comment, internal ones included, oldest
// first: changing it does not change the ticket.
func (t *Ticket) Comments() []Comment { return slices.Clone(t.comments) }

// VisibleComments returns a copy of the comments viewer may read:
// everything for staff, no internal notes for anyone else.
func (t *Ticket) VisibleComments(viewer *User) []Comment {
	if viewer.IsStaff() {
		return t.Comments()
	}
	out := make([]Comment, 0, len(t.comments))
	for _, c := range t.comments {
		if !c.Internal {
			out = append(out, c)
		}
	}
	return out
}

// IsOwnedBy reports whether u submitted the ticket.
func (t *Ticket) IsOwnedBy(u *User) bool { return t.ownerID == u.ID() }

// CanBeSeenBy reports whether u may read the ticket: its owner and staff.
func (t *Ticket) CanBeSeenBy(u *User) bool { return CanSeeTicketOf(u, t.ownerID) }

// CanSeeTicketOf reports whether u may see a ticket owned by ownerID: its
// owner and staff. It lets a reader be checked without loading the ticket.
func CanSeeTicketOf(u *User, ownerID int64) bool { return u.ID() == ownerID || u.IsStaff() }

// SetID records the id storage gave a new ticket and stamps it on the
// events recorded before it was known. Only storage adapters call it, once.
func (t *Ticket) SetID(id int64) {
	if t.id != 0 {
		panic("domain: ticket id set twice")
	}
	t.id = id
	for i, e := range t.events {
		if s, ok := e.(TicketSubmitted); ok {
			s.TicketID = id
			t.events[i] = s
		}
	}
}

// ChangeStatus moves the ticket to status to on behalf of by, with an
// optional comment, and records TicketStatusChanged. Staff make every move
// of the workflow; the owner may close their ticket and reopen it
// (Status.OwnerMay); anyone else gets ErrForbidden, a move the workflow
// does not have ErrInvalidTransition, a merged ticket ErrMergedAway.
func (t *Ticket) ChangeStatus(by *User, to Status, comment string, now time.Time) error {
	if !by.IsStaff() && !t.IsOwnedBy(by) {
		return ErrForbidden
	}
	if t.MergedInto() != 0 {
		return ErrMergedAway // closed for good: its thread goes on in the other ticket
	}
	comment = strings.TrimSpace(NormalizeNewlines(comment))
	if err := CheckText("comment", comment); err != nil {
		return err
	}
	if utf8.RuneCountInString(comment) > CommentMaxLen {
		return ValidationError{Field: "comment", Code: CodeTooLong}
	}
	if !t.status.CanBecome(to) {
		return ErrInvalidTransition
	}
	if !by.IsStaff() && !t.status.OwnerMay(to) {
		return ErrForbidden
	}
	t.moveTo(by, to, comment, false, now)
	return nil
}

// NextStatuses lists the statuses u may move the ticket to, in workflow
// order: every next one for staff, the owner's moves for the owner,
// none for anyone else, none on a merged ticket.
func (t *Ticket) NextStatuses(u *User) []Status {
	switch {
	case t.MergedInto() != 0:
		return nil // closed for good
	case u.IsStaff():
		return t.status.Next()
	case t.IsOwnedBy(u):
		return t.status.NextForOwner()
	}
	return nil
}

// moveTo changes the status, keeps the step in the history and records
// TicketStatusChanged. Leaving closed ends the closing the owner rated, so
// the rating goes with it.
func (t *Ticket) moveTo(by *User, to Status, comment string, byReply bool, now time.Time) {
	now = now.UTC()
	change := StatusChange{ByID: by.ID(), ByName: by.Username(), From: t.status, To: to, Comment: comment, At: now,
		ByReply: byReply}
	if t.status == StatusClosed {
		t.rating, t.ratedAt = 0, time.Time{}
	}
	t.targetsOnStatus(by.IsStaff(), change.From, to, now)
	t.status = to
	t.updatedAt = now
	t.history = append(t.history, change)
	t.record(TicketStatusChanged{
		TicketID: t.id, OwnerID: t.ownerID, Title: t.title,
		From: change.From.String(), To: to.String(), ByID: by.ID(), ByName: by.Username(),
		Comment: comment, ByReply: byReply, At: now,
	})
}

// Assign gives the ticket to a staff member, or takes it back with nil, and
// records TicketAssigned.
func (t *Ticket) Assign(by *User, assignee *User, now time.Time) error {
	if !by.IsStaff() {
		return ErrForbidden
	}
	var id int64
	var name string
	if assignee != nil {
		if !assignee.IsStaff() || !assignee.Active() {
			return ValidationError{Field: "assignee", Code: CodeNotStaff}
		}
		id, name = assignee.ID(), assignee.Username()
	}
	if id == t.assigneeID {
		return nil
	}
	now = now.UTC()
	t.assigneeID, t.assigneeName = id, name
	t.updatedAt = now
	t.record(TicketAssigned{TicketID: t.id, OwnerID: t.ownerID, AssigneeID: id, AssigneeName: name,
		ByID: by.ID(), ByName: by.Username(), At: now})
	return nil
}

// AddComment adds a comment by the owner or staff, with uploads attached
// to it, and records CommentAdded. Only staff may write an internal note
// (its files are internal too). The owner's comment on a closed ticket
// reopens it first: the history keeps the step marked ByReply, and
// TicketStatusChanged comes before CommentAdded. The text may be empty
// when the comment carries a file. A file that is not one the desk keeps
// (see checkUpload) is a ValidationError on "files". A merged ticket takes
// no more comments: ErrMergedAway.
func (t *Ticket) AddComment(by *User, text string, internal bool, now time.Time, uploads ...Upload) error {
	if !t.CanBeSeenBy(by) {
		return ErrForbidden
	}
	if internal && !by.IsStaff() {
		return ErrForbidden
	}
	if t.MergedInto() != 0 {
		return ErrMergedAway // closed for good: its thread goes on in the other ticket
	}
	text = strings.TrimSpace(NormalizeNewlines(text))
	switch {
	case text == "" && len(uploads) == 0:
		return ValidationError{Field: "text", Code: CodeRequired}
	case !ValidText(text):
		return ValidationError{Field: "text", Code: CodeInvalidText}
	case utf8.RuneCountInString(text) > CommentMaxLen:
		return ValidationError{Field: "text", Code: CodeTooLong}
	}
	if err := checkUploads(uploads); err != nil {
		return err
	}
	if t.status == StatusClosed && !by.IsStaff() {
		t.moveTo(by, StatusOpen, "", true, now)
	}
	now = now.UTC()
	t.targetsOnComment(by.IsStaff(), t.IsOwnedBy(by), internal, now)
	t.comments = append(t.comments, Comment{AuthorID: by.ID(), AuthorName: by.Username(), Text: text, Internal: internal, At: now})
	infos := t.attach(by, uploads, len(t.comments)-1, internal, now)
	t.updatedAt = now
	t.record(CommentAdded{TicketID: t.id, OwnerID: t.ownerID, Title: t.title,
		AuthorID: by.ID(), AuthorName: by.Username(), Text: text, Internal: internal, At: now,
		Attachments: infos})
	return nil
}

func (t *Ticket) record(e Event) { t.events = append(t.events, e) }

// Events returns a copy of the events recorded since the ticket was made or
// loaded.
func (t *Ticket) Events() []Event { return slices.Clone(t.events) }
