package domain

import (
	"cmp"
	"errors"
	"slices"
	"time"
)

// Refusals of a merge. Each leaves both tickets as they were.
var (
	// ErrMergeIntoSelf: a ticket cannot be a duplicate of itself.
	ErrMergeIntoSelf = errors.New("a ticket cannot be merged into itself")
	// ErrMergeAcrossOwners: only one person's tickets are merged, or the
	// owner would read another person's comments.
	ErrMergeAcrossOwners = errors.New("only tickets of the same owner can be merged")
	// ErrMergedAway: one of the tickets was merged into another one
	// already; a merged ticket is closed for good, so nothing is merged
	// into it, and it is not merged a second time.
	ErrMergedAway = errors.New("the ticket was merged into another one")
	// ErrMergeTargetNotFound: there is no ticket to merge into with that
	// number (staff see every ticket, so it is unknown).
	ErrMergeTargetNotFound = errors.New("no ticket to merge into")
)

// MergedInto returns the id of the ticket t was merged into, 0 when it was
// not merged. The merge is the last step of a merged ticket's history.
func (t *Ticket) MergedInto() int64 {
	for i := len(t.history) - 1; i >= 0; i-- {
		if id := t.history[i].MergedInto; id != 0 {
			return id
		}
	}
	return 0
}

// MergeTickets merges the duplicate dup into the ticket into on behalf of
// staff member by: dup's comments, history, files and records of deleted
// files move to into, keeping their ids, authors and times (into's lists
// stay in the order of their ids, which is the order things happened in);
// dup is closed with a history step that says where it went
// (StatusChange.MergedInto), into gets one that says what came
// (StatusChange.MergedFrom), and dup records TicketMerged — its only event:
// the closing is part of the merge and is not told apart, so the owner
// hears of the merge once. Errors, with neither ticket changed:
// ErrForbidden for anyone but staff, ErrMergeIntoSelf, ErrMergeAcrossOwners,
// ErrMergedAway when either ticket was merged already.
func MergeTickets(by *User, dup, into *Ticket, now time.Time) error {
	switch {
	case !by.IsStaff():
		return ErrForbidden
	case dup.id == into.id:
		return ErrMergeIntoSelf
	case dup.ownerID != into.ownerID:
		return ErrMergeAcrossOwners
	case dup.MergedInto() != 0 || into.MergedInto() != 0:
		return ErrMergedAway
	}
	now = now.UTC()
	moved := TicketMerged{TicketID: dup.id, IntoID: into.id, OwnerID: dup.ownerID, Title: dup.title,
		IntoTitle: into.title, Comments: len(dup.comments), Files: len(dup.attachments),
		ByID: by.ID(), ByName: by.Username(), At: now}

	into.history = byID(append(into.history, dup.history...), func(h StatusChange) int64 { return h.ID })
	into.comments = byID(append(into.comments, dup.comments...), func(c Comment) int64 { return c.ID })
	into.attachments = byID(append(into.attachments, dup.attachments...), func(a Attachment) int64 { return a.ID })
	into.deleted = append(into.deleted, dup.deleted...)
	slices.SortStableFunc(into.deleted, func(a, b AttachmentDeletion) int { return a.At.Compare(b.At) })
	dup.history, dup.comments, dup.attachments, dup.deleted = nil, nil, nil, nil

	dup.history = append(dup.history, StatusChange{ByID: by.ID(), ByName: by.Username(),
		From: dup.status, To: StatusClosed, At: now, MergedInto: into.id})
	dup.status, dup.updatedAt = StatusClosed, now
	into.history = append(into.history, StatusChange{ByID: by.ID(), ByName: by.Username(),
		From: into.status, To: into.status, At: now, MergedFrom: dup.id})
	into.updatedAt = now
	dup.record(moved)
	return nil
}

// byID sorts stored entries by their ids; new ones (id 0) stay last, in
// their order.
func byID[T any](s []T, id func(T) int64) []T {
	slices.SortStableFunc(s, func(a, b T) int {
		x, y := id(a), id(b)
		switch {
		case x == 0 && y == 0:
			return 0
		case x == 0:
			return 1
		case y == 0:
			return -1
		}
		return cmp.Compare(x, y)
	})
	return s
}
