package application

import (
	"context"
	"math"
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
	// ResponseTimes and ResolutionTimes count the period's first-response
	// and resolution times (from the ticket's creation) per DurationBucket,
	// in no particular order.
	ResponseTimes   []DurationCount
	ResolutionTimes []DurationCount
}

// DurationCount is how many times fell in one DurationBucket.
type DurationCount struct {
	Bucket int
	N      int
}

// durationBase is the width of a DurationBucket: each is 5% wider than
// the one before.
const durationBase = 1.05

// DurationBucket is the bucket of a time of s seconds (from creation to
// response or resolution): floor(ln(max(s, 1)) / ln(1.05)). The SQL
// store computes the same in its triggers; a figure read back from a
// bucket (BucketDuration) is within 2.5% of the times in it.
func DurationBucket(s int64) int {
	return int(math.Floor(math.Log(float64(max(s, 1))) / math.Log(durationBase)))
}

// BucketDuration is the time a DurationBucket stands for: the geometric
// middle of its bounds, to the second.
func BucketDuration(b int) time.Duration {
	return time.Duration(math.Round(math.Pow(durationBase, float64(b)+0.5))) * time.Second
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
	// First responses in the period, their seconds from the tickets'
	// creation, how many had a target (judged) and met it; and the same
	// of resolutions (the last closing of tickets still closed).
	Responses         int
	ResponseSeconds   int64
	ResponsesJudged   int
	ResponsesMet      int
	Resolutions       int
	ResolutionSeconds int64
	ResolutionsJudged int
	ResolutionsMet    int
}
