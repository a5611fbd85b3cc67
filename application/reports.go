package application

import (
	"context"
	"time"

	"crm/domain"
)

// Reports reads the figures reports are made of: counts kept per UTC day,
// ticket type and assignee as the tickets change, so that a report of a
// year costs the same at a million tickets as at a thousand.
type Reports interface {
	// ReportFigures returns the figures of the UTC days from first to last,
	// both included (midnights UTC): per day, and per type and assignee.
	ReportFigures(ctx context.Context, first, last time.Time) (ReportFigures, error)
}

// ReportFigures are the stored figures of a period.
type ReportFigures struct {
	// Days are the days that had anything, oldest first.
	Days []ReportDay
	// Groups are the period's figures per ticket type and assignee, for
	// the pairs that had anything, in no particular order.
	Groups []ReportGroup
}

// ReportDay is what happened on one UTC day.
type ReportDay struct {
	Day    time.Time // midnight UTC
	Opened int       // tickets created
	Closed int       // closings
}

// ReportGroup is a period's figures of one ticket type and assignee.
type ReportGroup struct {
	Type domain.TicketType
	// AssigneeID is the staff member who had the ticket (0: nobody);
	// tickets are counted opened under nobody, as a new ticket has no
	// assignee yet.
	AssigneeID   int64
	AssigneeName string
	Opened       int
	Closed       int
	RatingSum    int // the stars of the ratings given in the period
	RatingCount  int
}
