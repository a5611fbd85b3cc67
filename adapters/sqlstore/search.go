package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"crm/application"
	"crm/domain"
)

// Search returns one page of tickets matching f, newest first (soonest due
// first with f.SortDue: readByDue), without text, history and comments
// (see application.TicketPage), with the total and the counts per status.
//
// Every filter the pages use has an index that yields its rows newest
// first (see the migrations), so a page reads about as many rows as it
// shows. When the first page holds every match, the counts are made from
// it; otherwise they read ticket_counts, kept by triggers, when only type,
// assignee and status filter, and owner_ticket_counts for a person's own
// tickets; other filters of a person's tickets count through the owner
// index; a search, and the overdue filter (through the partial index
// tickets_next_due), count their matches up to countCap.
func (s *Tickets) Search(ctx context.Context, f application.TicketFilter) (application.TicketPage, error) {
	p := f.Page.Normalized()
	terms := application.SearchTerms(f.Query)
	// A page read in id order through an index of its filters keeps one
	// plan (idOrderedFilters), its type and status written in (enumEquals).
	idOrdered := len(terms) == 0 && f.OverdueAt.IsZero() && !f.SortDue &&
		idOrderedFilters[filterKinds{f.OwnerID != 0, !f.Type.IsZero(), f.AssigneeID != 0, !f.Status.IsZero()}]
	// Every filter but the status: ByStatus counts with these.
	var w filter
	if f.OwnerID != 0 {
		w.add("t.owner_id = ?", f.OwnerID)
	}
	if !f.Type.IsZero() {
		w.enumEquals("t.type", f.Type.String(), idOrdered)
	}
	switch {
	case f.AssigneeID == application.Unassigned:
		w.add("t.assignee_id IS NULL")
	case f.AssigneeID > 0:
		w.add("t.assignee_id = ?", f.AssigneeID)
	}
	from, newest, before, countOrder, countNewest := "tickets t", "t.id DESC", "t.id < ?", "", false
	searchSamePlan := false
	if len(terms) > 0 {
		search, err := s.s.d.searchTickets(ctx, s.s, terms)
		if err != nil {
			return application.TicketPage{}, fmt.Errorf("search tickets: %w", err)
		}
		from, newest, before = search.from, search.newest, search.before
		countOrder, countNewest = search.countOrder, search.countNewest
		searchSamePlan = search.samePlan && len(w.conds) == 0
		w.add(search.cond, search.args...)
	}
	if !f.OverdueAt.IsZero() {
		w.add("t.next_due_at < ?", f.OverdueAt) // the partial index tickets_next_due
	}
	// A person's own tickets, nothing else filtered: the owner's index
	// serves every owner alike, so the query may keep one plan; so may a
	// search the dialect reads alike for any terms, nothing else filtered.
	w.samePlan = (f.OwnerID != 0 || searchSamePlan) && len(w.conds) == 1
	pw := w.clone()
	if !f.Status.IsZero() {
		pw.enumEquals("t.status", f.Status.String(), idOrdered)
	}
	// The page keeps w's one plan unless a status joins it, and keeps one
	// whenever an index reads it in id order.
	pw.samePlan = idOrdered || w.samePlan && f.Status.IsZero()

	page := application.TicketPage{Tickets: make([]*domain.Ticket, 0, p.Limit)}
	var err error
	if f.SortDue {
		err = s.readByDue(ctx, from, pw, p, &page)
	} else {
		err = s.readNewest(ctx, from, newest, before, pw, p, f.Brief, f.OwnerID, &page)
	}
	if err != nil {
		return application.TicketPage{}, fmt.Errorf("select tickets: %w", err)
	}

	switch {
	case p.Before == 0 && page.Next == 0 && f.Status.IsZero():
		// The page holds every match: count them here, with no query.
		page.ByStatus = map[domain.Status]int{}
		for _, t := range page.Tickets {
			page.ByStatus[t.Status()]++
		}
	case !f.OverdueAt.IsZero():
		// No kept count knows what is overdue now: count the overdue
		// tickets through their index, up to the cap.
		page.ByStatus, page.CountCapped, err = s.countCapped(ctx, from, "", w, nil)
	case f.OwnerID == 0 && len(terms) == 0:
		page.ByStatus, err = s.countFromTotals(ctx, f)
	case len(terms) == 0 && f.Type.IsZero() && f.AssigneeID == 0:
		page.ByStatus, err = s.countOwnersTickets(ctx, f.OwnerID)
	case f.OwnerID == 0 && countNewest && p.Before == 0 && f.Status.IsZero() && !f.SortDue &&
		len(page.Tickets) <= s.countCap:
		// The page holds the newest matches of w, the first the count
		// would read: count them here and read on from its last.
		rest := w.clone()
		rest.add(before, page.Next)
		page.ByStatus, page.CountCapped, err = s.countCapped(ctx, from, countOrder, *rest, page.Tickets)
	case f.OwnerID == 0:
		page.ByStatus, page.CountCapped, err = s.countCapped(ctx, from, countOrder, w, nil)
	default:
		page.ByStatus, err = s.countMatches(ctx, from, w)
	}
	if err != nil {
		return application.TicketPage{}, fmt.Errorf("count tickets: %w", err)
	}
	for st, n := range page.ByStatus {
		if f.Status.IsZero() || st == f.Status {
			page.Total += n
		}
	}
	if page.CountCapped {
		page.Total = min(page.Total, s.countCap) // "more than countCap"
	}
	return page, nil
}

// filterKinds says which of a ticket list's equality filters are set:
// owner, type, assignee, status.
type filterKinds struct{ owner, typ, assignee, status bool }

// idOrderedFilters are the combinations of filters that an index of
// tickets serves in id order: none (the primary key); owner_id, id;
// owner_id, status, id; type, id; status, id; status, type, id;
// assignee_id, id; assignee_id, status, id (PostgreSQL's migrations 0001
// and 0005, SQLite's alike). A page filtered by one of them is best read
// through that index, newest first, whatever the values (an unassigned
// ticket's NULL included), so its query keeps one plan: prepared once, not
// planned again on every page view (planEachRunMark). Its type and status,
// a few values each, are written into the query (filter.enumEquals): with
// them as parameters PostgreSQL went on planning closed repairs anew on
// every run (a plan for any status and type looked dearer to it than the
// one for these), 100 µs of the database's time a page. Other combinations
// pick an index by how common their values are, and are planned each time.
var idOrderedFilters = map[filterKinds]bool{
	{}: true, {owner: true}: true, {owner: true, status: true}: true,
	{typ: true}: true, {status: true}: true, {typ: true, status: true}: true,
	{assignee: true}: true, {assignee: true, status: true}: true,
}

// readNewest reads one page of the tickets from from that match pw,
// newest first (ordered by newest, those older than p.Before by the
// condition before), into page; only briefColumns when brief, each
// ticket's owner then being ownerID (the filter's, or 0).
func (s *Tickets) readNewest(ctx context.Context, from, newest, before string, pw *filter, p application.Page,
	brief bool, ownerID int64, page *application.TicketPage) error {
	if p.Before != 0 {
		pw.add(before, p.Before)
	}
	// One row past the page says there is a next page; it is not scanned.
	var r ticketRow
	columns, dest := listedColumns, r.dest(false)
	if brief {
		columns, dest = briefColumns, r.briefDest()
	}
	// A query that keeps one plan (pw.samePlan) has its limit written in:
	// PostgreSQL's plan made for any limit expects a tenth of the rows,
	// costs more than the one made for this limit and is never chosen,
	// so the query would be planned again every time it runs.
	limit, args := "?", append(pw.args, p.Limit+1)
	if pw.samePlan {
		limit, args = strconv.Itoa(p.Limit+1), pw.args
	}
	q := `SELECT ` + columns + ` FROM ` + from + pw.where() + ` ORDER BY ` + newest + ` LIMIT ` + limit
	return s.s.query(ctx, nil, q, args, func(rows *sql.Rows) error {
		if len(page.Tickets) == p.Limit {
			page.Next = r.ID // the page's last ticket, scanned last
			return nil
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if brief {
			r.OwnerID = ownerID
			page.Tickets = append(page.Tickets, r.briefDomain())
			return nil
		}
		page.Tickets = append(page.Tickets, r.toDomain(nil, nil))
		return nil
	})
}

// countByStatus runs q, whose rows are a status and a count, and returns
// the positive counts by status (a status may come more than once: they
// add up) and the sum of every row's count.
func (s *Tickets) countByStatus(ctx context.Context, q string, args []any) (map[domain.Status]int, int, error) {
	m := make(map[domain.Status]int, 3)
	total := 0
	var (
		status string
		n      int
	)
	err := s.s.query(ctx, nil, q, args, func(rows *sql.Rows) error {
		if err := rows.Scan(&status, &n); err != nil {
			return err
		}
		if n > 0 {
			m[domain.MustParseStatus(status)] += n
		}
		total += n
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return m, total, nil
}

// countFromTotals adds up the kept counts of the tickets of f's type and
// assignee: a few dozen rows, however many tickets there are.
func (s *Tickets) countFromTotals(ctx context.Context, f application.TicketFilter) (map[domain.Status]int, error) {
	// A few dozen rows per type, read through the primary key whatever
	// the values: one plan serves them all. With no assignee to filter,
	// ticket_type_counts has them added up over the assignees (migration
	// 0026), so the queue as it opens reads as many rows however many
	// staff there are.
	w, totals := filter{samePlan: true}, "ticket_type_counts"
	if !f.Type.IsZero() {
		w.add("type = ?", f.Type.String())
	}
	switch {
	case f.AssigneeID == application.Unassigned:
		w.add("assignee_id = 0")
		totals = "ticket_counts"
	case f.AssigneeID > 0:
		w.add("assignee_id = ?", f.AssigneeID)
		totals = "ticket_counts"
	}
	q := `SELECT status, sum(n) AS n FROM ` + totals + w.where() + ` GROUP BY status`
	m, _, err := s.countByStatus(ctx, q, w.args)
	return m, err
}

// countOwnersTickets reads the kept counts of a person's tickets.
func (s *Tickets) countOwnersTickets(ctx context.Context, ownerID int64) (map[domain.Status]int, error) {
	const q = `SELECT status, n FROM owner_ticket_counts WHERE owner_id = ?`
	m, _, err := s.countByStatus(ctx, q, []any{ownerID})
	return m, err
}

// countMatches counts the tickets read from from that match w, per status.
func (s *Tickets) countMatches(ctx context.Context, from string, w filter) (map[domain.Status]int, error) {
	q := `SELECT t.status, count(*) AS n FROM ` + from + w.where() + ` GROUP BY t.status`
	m, _, err := s.countByStatus(ctx, q, w.args)
	return m, err
}

// countCapped counts the tickets read from from that match w, per status,
// reading at most countCap+1 of them; capped is true when there were more
// than countCap. With an order (a search's countOrder, chosen by the
// dialect for its index), it reads the matches in that order. read are
// matches counted already, which w excludes (see Search).
func (s *Tickets) countCapped(ctx context.Context, from, order string, w filter,
	read []*domain.Ticket) (counts map[domain.Status]int, capped bool, err error) {
	orderBy := ""
	if order != "" {
		orderBy = " ORDER BY " + order
	}
	q := `SELECT status, count(*) AS n FROM (SELECT t.status FROM ` + from + w.where() + orderBy + ` LIMIT ?) m GROUP BY status`
	m, total, err := s.countByStatus(ctx, q, append(w.args, s.countCap+1-len(read)))
	if err != nil {
		return nil, false, err
	}
	for _, t := range read {
		m[t.Status()]++
	}
	total += len(read)
	return m, total > s.countCap, nil
}
