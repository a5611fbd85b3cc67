package application

import (
	"context"
	"time"

	"crm/domain"
)

// Tickets stores tickets with their history and comments.
type Tickets interface {
	// Add stores a new ticket and its events in one transaction and sets its
	// id.
	Add(ctx context.Context, t *domain.Ticket) error
	// Get returns the ticket with id, with history and comments, or
	// ErrTicketNotFound.
	Get(ctx context.Context, id int64) (*domain.Ticket, error)
	// Update loads the ticket with id, locked against concurrent updates,
	// calls fn, then saves the ticket, its new history entries and comments
	// and the events it recorded in one transaction. An error from fn rolls
	// everything back and is returned; ErrTicketNotFound when there is no
	// such ticket.
	Update(ctx context.Context, id int64, fn func(t *domain.Ticket) error) error
	// Merge loads the duplicate dupID and the ticket intoID, both locked
	// against concurrent updates, calls fn (which merges them, see
	// domain.MergeTickets), then moves every stored history entry,
	// comment and file of the duplicate to the other ticket, keeping
	// their ids, and saves both tickets and their events, all in one
	// transaction. An error from fn rolls everything back and is
	// returned; ErrTicketNotFound when there is no ticket dupID,
	// ErrMergeTargetNotFound when there is no ticket intoID. dupID ==
	// intoID hands fn the one ticket twice.
	Merge(ctx context.Context, dupID, intoID int64, fn func(dup, into *domain.Ticket) error) error
	// Search returns one page of tickets matching the filter, newest
	// first (or soonest due first: TicketFilter.SortDue), with counts per
	// status. The tickets are as a list shows them:
	// without their text, history and comments (see TicketPage); Get
	// returns a whole ticket.
	Search(ctx context.Context, f TicketFilter) (TicketPage, error)
}

// Unassigned, as TicketFilter.AssigneeID, selects tickets nobody has taken.
const Unassigned int64 = -1

// TicketFilter selects tickets. Zero fields select everything.
type TicketFilter struct {
	OwnerID    int64
	Status     domain.Status
	Type       domain.TicketType
	AssigneeID int64  // a user's id, or Unassigned
	Query      string // words that start words of the title, the text or the owner's username (see SearchTerms)
	Page       Page
	// OverdueAt, when not zero, selects the tickets whose pending due time
	// (Ticket.NextDue) is before it: those overdue at that moment.
	OverdueAt time.Time
	// SortDue orders by the pending due time, soonest first, tickets with
	// none after them (newest first); Page.Before is then the id of the
	// last ticket of the previous page.
	SortDue bool
	// Brief asks only for what a person's own list shows: each ticket's
	// id, title, type, status and the time it last changed, and its
	// owner's id when OwnerID filters. The rest (owner's name, creation
	// time, assignee, rating, response targets) may be left zero, which
	// spares a store reading them for every row of the busiest page. A
	// store may ignore it and fill them in.
	Brief bool
}

// TicketPage is one page of tickets.
type TicketPage struct {
	// Tickets are the page's tickets as a list shows them: every field
	// but the text (Text() is ""), with no history and no comments. No
	// list shows the text, usually the longest part of a ticket, so the
	// stores do not read it; whatever needs it reads the ticket with
	// Tickets.Get.
	Tickets []*domain.Ticket
	Next    int64 // Before of the next page; 0 when this is the last
	Total   int   // how many tickets match the filter
	// ByStatus counts the tickets that match the filter, status aside.
	ByStatus map[domain.Status]int
	// CountCapped is true when a search stopped counting at
	// SearchCountCap matches: Total and ByStatus are then lower bounds.
	CountCapped bool
}

// SearchCountCap is how many matches of a search are counted at most. A
// search's counts read the matching tickets one by one; someone searching
// needs "more than 200" (and a narrower query), not the exact figure, and
// with the cap a search costs the same at a million tickets as at a
// thousand.
const SearchCountCap = 200
