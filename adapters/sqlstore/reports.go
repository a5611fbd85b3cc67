package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"crm/application"
	"crm/domain"
)

var _ application.Reports = (*Reports)(nil)

// Reports reads the figures of reports from report_days, which triggers
// keep per UTC day, ticket type and assignee (migration 0018): a period
// is one range of its primary key, a few rows per day whatever the
// number of tickets.
type Reports struct{ s *Store }

func NewReports(s *Store) *Reports { return &Reports{s: s} }

// day is t's UTC day counted from 1970-01-01, as report_days keys it.
func day(t time.Time) int64 { return t.UTC().Unix() / 86400 }

type reportDayRow struct {
	Day    int64 `db:"day"`
	Opened int   `db:"opened"`
	Closed int   `db:"closed"`
}

type reportGroupRow struct {
	Type         string `db:"type"`
	AssigneeID   int64  `db:"assignee_id"`
	AssigneeName string `db:"assignee_name"`
	Opened       int    `db:"opened"`
	Closed       int    `db:"closed"`
	RatingSum    int    `db:"rating_sum"`
	RatingN      int    `db:"rating_n"`

	Responses         int   `db:"responses"`
	ResponseSeconds   int64 `db:"response_seconds"`
	ResponsesJudged   int   `db:"responses_judged"`
	ResponsesMet      int   `db:"responses_met"`
	Resolutions       int   `db:"resolutions"`
	ResolutionSeconds int64 `db:"resolution_seconds"`
	ResolutionsJudged int   `db:"resolutions_judged"`
	ResolutionsMet    int   `db:"resolutions_met"`
}

type durationRow struct {
	Metric int `db:"metric"`
	Bucket int `db:"bucket"`
	N      int `db:"n"`
}

// The metrics of report_durations.
const (
	metricResponse   = 1
	metricResolution = 2
)

// ReportFigures reads the days first to last, both included, in one
// read-only transaction, so that the days and the groups add up.
func (r *Reports) ReportFigures(ctx context.Context, first, last time.Time) (application.ReportFigures, error) {
	const qDays = `SELECT day, CAST(sum(opened) AS BIGINT) AS opened, CAST(sum(closed) AS BIGINT) AS closed FROM report_days
		WHERE day BETWEEN ? AND ? GROUP BY day HAVING sum(opened) <> 0 OR sum(closed) <> 0 ORDER BY day`
	const qGroups = `SELECT g.type, g.assignee_id, coalesce(u.username, '') AS assignee_name,
		g.opened, g.closed, g.rating_sum, g.rating_n, g.responses, g.response_seconds, g.responses_judged,
		g.responses_met, g.resolutions, g.resolution_seconds, g.resolutions_judged, g.resolutions_met
		FROM (SELECT type, assignee_id, CAST(sum(opened) AS BIGINT) AS opened, CAST(sum(closed) AS BIGINT) AS closed,
				CAST(sum(rating_sum) AS BIGINT) AS rating_sum, CAST(sum(rating_n) AS BIGINT) AS rating_n,
				CAST(sum(responses) AS BIGINT) AS responses, CAST(sum(response_seconds) AS BIGINT) AS response_seconds,
				CAST(sum(responses_judged) AS BIGINT) AS responses_judged,
				CAST(sum(responses_met) AS BIGINT) AS responses_met,
				CAST(sum(resolutions) AS BIGINT) AS resolutions,
				CAST(sum(resolution_seconds) AS BIGINT) AS resolution_seconds,
				CAST(sum(resolutions_judged) AS BIGINT) AS resolutions_judged,
				CAST(sum(resolutions_met) AS BIGINT) AS resolutions_met
			FROM report_days WHERE day BETWEEN ? AND ? GROUP BY type, assignee_id) g
		LEFT JOIN users u ON u.id = g.assignee_id
		WHERE g.opened <> 0 OR g.closed <> 0 OR g.rating_n <> 0 OR g.responses <> 0 OR g.resolutions <> 0`
	const qDurations = `SELECT metric, bucket, CAST(sum(n) AS BIGINT) AS n FROM report_durations
		WHERE day BETWEEN ? AND ? GROUP BY metric, bucket HAVING sum(n) <> 0`
	var days []reportDayRow
	var groups []reportGroupRow
	var durations []durationRow
	from, to := day(first), day(last)
	err := r.s.inReadTx(ctx, func(tx *sqlx.Tx) error {
		if err := r.s.sel(ctx, tx, &days, qDays, from, to); err != nil {
			return fmt.Errorf("select report days: %w", err)
		}
		if err := r.s.sel(ctx, tx, &groups, qGroups, from, to); err != nil {
			return fmt.Errorf("select report groups: %w", err)
		}
		if err := r.s.sel(ctx, tx, &durations, qDurations, from, to); err != nil {
			return fmt.Errorf("select report durations: %w", err)
		}
		return nil
	})
	if err != nil {
		return application.ReportFigures{}, err
	}
	var f application.ReportFigures
	for _, d := range days {
		f.Days = append(f.Days, application.ReportDay{
			Day: time.Unix(d.Day*86400, 0).UTC(), Opened: d.Opened, Closed: d.Closed,
		})
	}
	for _, g := range groups {
		typ, err := domain.ParseTicketType(g.Type)
		if err != nil {
			return application.ReportFigures{}, fmt.Errorf("report group type %q: %w", g.Type, err)
		}
		f.Groups = append(f.Groups, application.ReportGroup{
			Type: typ, AssigneeID: g.AssigneeID, AssigneeName: g.AssigneeName,
			Opened: g.Opened, Closed: g.Closed, RatingSum: g.RatingSum, RatingCount: g.RatingN,
			Responses: g.Responses, ResponseSeconds: g.ResponseSeconds,
			ResponsesJudged: g.ResponsesJudged, ResponsesMet: g.ResponsesMet,
			Resolutions: g.Resolutions, ResolutionSeconds: g.ResolutionSeconds,
			ResolutionsJudged: g.ResolutionsJudged, ResolutionsMet: g.ResolutionsMet,
		})
	}
	for _, d := range durations {
		c := application.DurationCount{Bucket: d.Bucket, N: d.N}
		switch d.Metric {
		case metricResponse:
			f.ResponseTimes = append(f.ResponseTimes, c)
		case metricResolution:
			f.ResolutionTimes = append(f.ResolutionTimes, c)
		}
	}
	return f, nil
}
