package domain

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Saved replies: texts staff keep to answer common requests quickly.
var (
	ErrSavedReplyNotFound  = errors.New("saved reply not found")
	ErrSavedReplyNameTaken = errors.New("saved reply name is taken")
)

// Limits of a saved reply. Its text becomes a comment, so it may be as long
// as one.
const (
	SavedReplyNameMaxLen = 100
	SavedReplyTextMaxLen = CommentMaxLen
)

// CodeUnknownPlaceholder says a reply's text has {something} that is not a
// placeholder the desk fills (see SavedReplyPlaceholders).
const CodeUnknownPlaceholder = "unknown_placeholder"

// The placeholders a saved reply may hold.
const (
	PlaceholderOwner  = "{owner}"  // the ticket owner's username
	PlaceholderTicket = "{ticket}" // the ticket's number, "12"
)

// SavedReplyPlaceholders are the placeholders a saved reply may hold.
var SavedReplyPlaceholders = []string{PlaceholderOwner, PlaceholderTicket}

// placeholderLike finds what looks like a placeholder: a word in braces.
var placeholderLike = regexp.MustCompile(`\{[\p{L}\p{N}_]+\}`)

// SavedReply is a named text staff insert into a comment. A shared one is
// seen by all staff; a personal one only by its author.
type SavedReply struct {
	ID         int64
	Name       string
	Text       string
	Shared     bool
	AuthorID   int64
	AuthorName string // as storage reads it; not stored with the reply
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// NewSavedReply checks and makes a reply by author. Errors:
// ValidationErrors on name and text (see SavedReply.Change).
func NewSavedReply(author *User, name, text string, shared bool, now time.Time) (SavedReply, error) {
	r := SavedReply{AuthorID: author.ID(), AuthorName: author.Username(), CreatedAt: now}
	if err := r.Change(name, text, shared, now); err != nil {
		return SavedReply{}, err
	}
	return r, nil
}

// Change sets the reply's name, text and scope. Errors, every one found, as
// ValidationErrors: a name or text that is empty after trimming, too long
// or not text (CodeInvalidText: control characters; a name may not hold a
// newline either), a text with a placeholder the desk does not know.
func (r *SavedReply) Change(name, text string, shared bool, now time.Time) error {
	name, text = strings.TrimSpace(name), strings.TrimSpace(NormalizeNewlines(text))
	var errs ValidationErrors
	if strings.ContainsAny(name, "\n\t") { // a name is one line
		errs = append(errs, ValidationError{Field: "name", Code: CodeInvalidText})
	} else if e, bad := fieldFault("name", name, SavedReplyNameMaxLen); bad {
		errs = append(errs, e)
	}
	if e, bad := fieldFault("text", text, SavedReplyTextMaxLen); bad {
		errs = append(errs, e)
	} else if len(UnknownPlaceholders(text)) > 0 {
		errs = append(errs, ValidationError{Field: "text", Code: CodeUnknownPlaceholder})
	}
	if err := errs.orNil(); err != nil {
		return err
	}
	r.Name, r.Text, r.Shared, r.UpdatedAt = name, text, shared, now
	return nil
}

// UnknownPlaceholders returns the words in braces in text that are not
// SavedReplyPlaceholders, each once, in order.
func UnknownPlaceholders(text string) []string {
	var out []string
	for _, p := range placeholderLike.FindAllString(text, -1) {
		known := p == PlaceholderOwner || p == PlaceholderTicket
		seen := false
		for _, o := range out {
			seen = seen || o == p
		}
		if !known && !seen {
			out = append(out, p)
		}
	}
	return out
}

// NameKey is the name as uniqueness compares it: in any case.
func (r SavedReply) NameKey() string { return strings.ToLower(r.Name) }

// ScopeID is the scope the name is unique in: 0 for the shared replies,
// the author's id for their personal ones.
func (r SavedReply) ScopeID() int64 {
	if r.Shared {
		return 0
	}
	return r.AuthorID
}

// CanBeSeenBy reports whether u may see and use the reply: staff see the
// shared ones and their own.
func (r SavedReply) CanBeSeenBy(u *User) bool {
	return u.IsStaff() && (r.Shared || r.AuthorID == u.ID())
}

// CanBeChangedBy reports whether u may edit or delete the reply: its
// author, and an admin for a shared one.
func (r SavedReply) CanBeChangedBy(u *User) bool {
	return r.CanBeSeenBy(u) && (r.AuthorID == u.ID() || r.Shared && u.IsAdmin())
}

// Fill is the reply's text for ticket t: its placeholders replaced by the
// owner's username and the ticket's number.
func (r SavedReply) Fill(t *Ticket) string {
	return strings.NewReplacer(
		PlaceholderOwner, t.OwnerName(),
		PlaceholderTicket, strconv.FormatInt(t.ID(), 10),
	).Replace(r.Text)
}
