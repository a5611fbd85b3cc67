package domain

import (
	"errors"
	"time"
)

// Rating limits: the owner gives from one to five stars.
const (
	RatingMin = 1
	RatingMax = 5
)

// ErrNotRated is the refusal of a rating for a ticket that is not closed:
// the owner rates the help once it is over.
var ErrNotRated = errors.New("only a closed ticket can be rated")

// Rating returns the owner's stars for the current closing, 0 when the
// owner has not rated it (or the ticket is not closed).
func (t *Ticket) Rating() int { return t.rating }

// RatedAt returns when the owner last rated the current closing, the zero
// time when there is no rating.
func (t *Ticket) RatedAt() time.Time { return t.ratedAt }

// RehydrateRating gives a stored ticket its stored rating (stars 0: none).
// Only storage adapters call it.
func (t *Ticket) RehydrateRating(stars int, at time.Time) *Ticket {
	t.rating, t.ratedAt = stars, at.UTC()
	if stars == 0 {
		t.ratedAt = time.Time{}
	}
	return t
}

// Rate records the owner's stars for the current closing and TicketRated.
// The owner may change them until the ticket reopens; the same stars again
// record nothing. Errors: ErrForbidden for anyone but the owner, a
// ValidationError on "stars" outside RatingMin..RatingMax, ErrNotRated
// when the ticket is not closed.
func (t *Ticket) Rate(by *User, stars int, now time.Time) error {
	if !t.IsOwnedBy(by) {
		return ErrForbidden
	}
	if stars < RatingMin || stars > RatingMax {
		return ValidationError{Field: "stars", Code: CodeInvalid}
	}
	if t.status != StatusClosed {
		return ErrNotRated
	}
	if stars == t.rating {
		return nil
	}
	now = now.UTC()
	previous := t.rating
	t.rating, t.ratedAt = stars, now
	t.updatedAt = now
	t.record(TicketRated{TicketID: t.id, OwnerID: t.ownerID, Title: t.title, Stars: stars, Previous: previous,
		ByID: by.ID(), ByName: by.Username(), At: now})
	return nil
}
