package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"crm/application"
)

// readByDue reads one page of the tickets from from that match pw, in the
// order of their pending due time (next_due_at), soonest first, then those
// with none, newest first, into page. p.Before is the id of the previous
// page's last ticket: the page goes on after it in that order, so the
// first part reads the partial index tickets_next_due from a row value
// onwards and the second part reads ids downwards, each as many rows as
// the page needs.
func (s *Tickets) readByDue(ctx context.Context, from string, pw *filter, p application.Page,
	page *application.TicketPage) error {
	var after timestamp // the due time of the previous page's last ticket
	withDue := true     // the page starts among the tickets with a due time
	if p.Before != 0 {
		err := s.s.getRow(ctx, nil, `SELECT next_due_at FROM tickets WHERE id = ?`, []any{p.Before}, &after)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read the due time of ticket %d: %w", p.Before, err)
		}
		withDue = !after.IsZero()
	}
	want := p.Limit + 1 // one row past the page says there is a next page
	var r ticketRow
	dest := r.dest(false)
	var last int64
	scan := func(rows *sql.Rows) error {
		if len(page.Tickets) == p.Limit {
			page.Next = last
			return nil
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		last = r.ID
		page.Tickets = append(page.Tickets, r.toDomain(nil, nil))
		return nil
	}
	if withDue {
		due := pw.clone()
		due.add("t.next_due_at IS NOT NULL")
		if p.Before != 0 {
			due.add("(t.next_due_at, t.id) > (?, ?)", after.Time, p.Before)
		}
		q := `SELECT ` + listedColumns + ` FROM ` + from + due.where() + ` ORDER BY t.next_due_at, t.id LIMIT ?`
		if err := s.s.query(ctx, nil, q, append(due.args, want), scan); err != nil {
			return err
		}
		if page.Next != 0 {
			return nil
		}
	}
	none := pw.clone()
	none.add("t.next_due_at IS NULL")
	if !withDue {
		none.add("t.id < ?", p.Before)
	}
	q := `SELECT ` + listedColumns + ` FROM ` + from + none.where() + ` ORDER BY t.id DESC LIMIT ?`
	return s.s.query(ctx, nil, q, append(none.args, want-len(page.Tickets)), scan)
}
