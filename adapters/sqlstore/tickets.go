package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"crm/application"
	"crm/domain"
)

var _ application.Tickets = (*Tickets)(nil)

// Tickets stores tickets with their history and comments. The search
// index (FTS5 on SQLite, a tsvector on PostgreSQL) and the counts per type,
// status and assignee (ticket_counts) follow every change of the tickets
// table through the database's own triggers or generated columns, in the
// same transaction.
type Tickets struct {
	s *Store
	// countCap bounds the counts of a search: past it, the page says
	// "more than countCap" instead of reading every match.
	countCap int
}

// NewTickets returns Tickets over s.
func NewTickets(s *Store) *Tickets {
	return &Tickets{s: s, countCap: application.SearchCountCap}
}

// ticketColumns are the columns of a whole ticket (without its history and
// comments), in the order of ticketRow.dest(true).
const ticketColumns = `t.id, t.owner_id, t.owner_name, t.title, t.text, t.type, t.status, t.assignee_id, t.assignee_name,
	t.created_at, t.updated_at, t.rating, t.rated_at, ` + targetColumns

// listedColumns are the columns of a ticket in a list: ticketColumns but
// the text, which no list shows and which is usually the longest column;
// in the order of ticketRow.dest(false).
const listedColumns = `t.id, t.owner_id, t.owner_name, t.title, t.type, t.status, t.assignee_id, t.assignee_name,
	t.created_at, t.updated_at, t.rating, t.rated_at, ` + targetColumns

type ticketRow struct {
	ID           int64         `db:"id"`
	OwnerID      int64         `db:"owner_id"`
	OwnerName    string        `db:"owner_name"`
	Title        string        `db:"title"`
	Text         string        `db:"text"`
	Type         string        `db:"type"`
	Status       string        `db:"status"`
	AssigneeID   sql.NullInt64 `db:"assignee_id"`
	AssigneeName string        `db:"assignee_name"`
	CreatedAt    timestamp     `db:"created_at"`
	UpdatedAt    timestamp     `db:"updated_at"`
	Rating       sql.NullInt64 `db:"rating"`
	RatedAt      timestamp     `db:"rated_at"`
	Targets      targetsRow
}

type historyRow struct {
	ID         int64     `db:"id"`
	ByID       int64     `db:"by_id"`
	ByName     string    `db:"by_name"`
	FromStatus string    `db:"from_status"`
	ToStatus   string    `db:"to_status"`
	Comment    string    `db:"comment"`
	At         timestamp `db:"at"`
	ByReply    bool      `db:"by_reply"`
	MergedInto int64     `db:"merged_into"`
	MergedFrom int64     `db:"merged_from"`
}

type commentRow struct {
	ID         int64     `db:"id"`
	AuthorID   int64     `db:"author_id"`
	AuthorName string    `db:"author_name"`
	Text       string    `db:"text"`
	Internal   bool      `db:"internal"`
	At         timestamp `db:"at"`
}

// briefColumns are what a brief list reads (application.TicketFilter.Brief),
// in the order of briefDest: 5 columns of listedColumns' 22, each of which
// the drivers would otherwise fetch, convert and scan for every row (on
// SQLite each column of each row is several calls into the engine, each
// taking the connection's mutex). The owner's id comes from the filter.
// SQLite's index tickets_owner_list (migration 0021) holds every one of
// them, so that a person's list reads no table row: keep the two alike.
const briefColumns = `t.id, t.title, t.type, t.status, t.updated_at`

// briefDest are the fields briefColumns scan into; the others stay zero.
func (r *ticketRow) briefDest() []any {
	return []any{&r.ID, &r.Title, &r.Type, &r.Status, &r.UpdatedAt}
}

// dest are the fields of r that rows.Scan fills from ticketColumns
// (withText) or listedColumns, in their order.
func (r *ticketRow) dest(withText bool) []any {
	if !withText {
		return append([]any{&r.ID, &r.OwnerID, &r.OwnerName, &r.Title, &r.Type, &r.Status, &r.AssigneeID, &r.AssigneeName,
			&r.CreatedAt, &r.UpdatedAt, &r.Rating, &r.RatedAt}, r.Targets.dest()...)
	}
	return append([]any{&r.ID, &r.OwnerID, &r.OwnerName, &r.Title, &r.Text, &r.Type, &r.Status, &r.AssigneeID, &r.AssigneeName,
		&r.CreatedAt, &r.UpdatedAt, &r.Rating, &r.RatedAt}, r.Targets.dest()...)
}

func (r ticketRow) toDomain(history []historyRow, comments []commentRow) *domain.Ticket {
	var hs []domain.StatusChange
	var cs []domain.Comment
	if history != nil || comments != nil {
		hs = make([]domain.StatusChange, len(history))
		for i, h := range history {
			hs[i] = domain.StatusChange{ID: h.ID, ByID: h.ByID, ByName: h.ByName,
				From: domain.MustParseStatus(h.FromStatus), To: domain.MustParseStatus(h.ToStatus),
				Comment: h.Comment, At: h.At.Time, ByReply: h.ByReply, MergedInto: h.MergedInto, MergedFrom: h.MergedFrom}
		}
		cs = make([]domain.Comment, len(comments))
		for i, c := range comments {
			cs[i] = domain.Comment{ID: c.ID, AuthorID: c.AuthorID, AuthorName: c.AuthorName,
				Text: c.Text, Internal: c.Internal, At: c.At.Time}
		}
	}
	return domain.RehydrateTicket(r.ID, r.OwnerID, r.OwnerName, r.Title, r.Text,
		domain.MustParseTicketType(r.Type), domain.MustParseStatus(r.Status),
		r.AssigneeID.Int64, r.AssigneeName, r.CreatedAt.Time, r.UpdatedAt.Time, hs, cs).
		RehydrateRating(int(r.Rating.Int64), r.RatedAt.Time).
		RehydrateTargets(r.Targets.toDomain())
}

// briefDomain is the ticket of a brief row (briefDest): no history,
// comments, rating or targets to convert.
func (r *ticketRow) briefDomain() *domain.Ticket {
	return domain.RehydrateTicket(r.ID, r.OwnerID, r.OwnerName, r.Title, "",
		domain.MustParseTicketType(r.Type), domain.MustParseStatus(r.Status),
		0, "", r.CreatedAt.Time, r.UpdatedAt.Time, nil, nil)
}

// ticketArgs are the stored columns of t, in the order of insertTicket.
func ticketArgs(t *domain.Ticket) []any {
	return append([]any{t.OwnerID(), t.OwnerName(), t.Title(), t.Text(), t.Type().String(), t.Status().String(),
		nullID(t.AssigneeID()), t.AssigneeName(), application.TicketSearchText(t), t.CreatedAt(), t.UpdatedAt(),
		sql.NullInt64{Int64: int64(t.Rating()), Valid: t.Rating() != 0}, t.RatedAt()}, targetArgs(t)...)
}

const (
	insertTicket = `INSERT INTO tickets (owner_id, owner_name, title, text, type, status, assignee_id, assignee_name,
		search, created_at, updated_at, rating, rated_at, ` + targetNames + `) VALUES `
	ticketValues  = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	insertHistory = `INSERT INTO ticket_history (ticket_id, by_id, by_name, from_status, to_status, comment, at, by_reply,
		merged_into, merged_from) VALUES `
	historyValues = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	insertComment = `INSERT INTO ticket_comments (ticket_id, author_id, author_name, text, internal, at) VALUES `
	commentValues = `(?, ?, ?, ?, ?, ?)`
)

// Add stores t with its history, comments and events in one transaction and
// sets its id. A submission takes the dialect's shorter way where it has
// one (Dialect.addTicket).
func (s *Tickets) Add(ctx context.Context, t *domain.Ticket) error {
	if t.ID() != 0 {
		return fmt.Errorf("add ticket %d: already stored", t.ID())
	}
	if add := s.s.d.addTicket; add != nil {
		if done, err := add(ctx, s.s, t); done {
			return err
		}
	}
	const q = insertTicket + ticketValues + ` RETURNING id`
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		var id int64
		if err := s.s.get(ctx, tx, &id, q, ticketArgs(t)...); err != nil {
			return fmt.Errorf("insert ticket: %w", err)
		}
		t.SetID(id) // before the events: it stamps the id on TicketSubmitted
		if err := s.insertDetails(ctx, tx, t); err != nil {
			return err
		}
		return s.s.insertEvents(ctx, tx, t.Events())
	})
}

// insertDetails stores the history entries and comments of t that are not
// stored yet (id 0), then its new and deleted files (which need the new
// comments' ids).
func (s *Tickets) insertDetails(ctx context.Context, tx *sqlx.Tx, t *domain.Ticket) error {
	for _, h := range t.History() {
		if h.ID != 0 {
			continue
		}
		if _, err := s.s.exec(ctx, tx, insertHistory+historyValues, historyArgs(t.ID(), h)...); err != nil {
			return fmt.Errorf("insert history of ticket %d: %w", t.ID(), err)
		}
	}
	comments := t.Comments()
	ids := make([]int64, len(comments))
	for i, c := range comments {
		ids[i] = c.ID
		if c.ID != 0 {
			continue
		}
		if err := s.s.get(ctx, tx, &ids[i], insertComment+commentValues+` RETURNING id`, commentArgs(t.ID(), c)...); err != nil {
			return fmt.Errorf("insert comment on ticket %d: %w", t.ID(), err)
		}
	}
	return s.s.saveFiles(ctx, tx, t, ids)
}

func historyArgs(ticketID int64, h domain.StatusChange) []any {
	return []any{ticketID, h.ByID, h.ByName, h.From.String(), h.To.String(), h.Comment, h.At, h.ByReply,
		h.MergedInto, h.MergedFrom}
}

func commentArgs(ticketID int64, c domain.Comment) []any {
	return []any{ticketID, c.AuthorID, c.AuthorName, c.Text, c.Internal, c.At}
}

// Get returns the ticket with id, with history, comments and attachments,
// or ErrTicketNotFound. The four reads share one snapshot.
func (s *Tickets) Get(ctx context.Context, id int64) (*domain.Ticket, error) {
	var t *domain.Ticket
	err := s.s.inReadTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		t, err = s.load(ctx, tx, id, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// load reads the ticket with id (its row locked with lock), its history,
// its comments and its attachments.
func (s *Tickets) load(ctx context.Context, tx *sqlx.Tx, id int64, lock string) (*domain.Ticket, error) {
	var r ticketRow
	err := s.s.getRow(ctx, tx, s.selectTicket(lock), []any{id}, r.dest(true)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrTicketNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("select ticket %d: %w", id, err)
	}
	history := []historyRow{}
	var h historyRow
	hdest := []any{&h.ID, &h.ByID, &h.ByName, &h.FromStatus, &h.ToStatus, &h.Comment, &h.At, &h.ByReply,
		&h.MergedInto, &h.MergedFrom}
	err = s.s.query(ctx, tx, selectHistory, []any{id}, func(rows *sql.Rows) error {
		if err := rows.Scan(hdest...); err != nil {
			return err
		}
		history = append(history, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("select history of ticket %d: %w", id, err)
	}
	comments := []commentRow{}
	var c commentRow
	cdest := []any{&c.ID, &c.AuthorID, &c.AuthorName, &c.Text, &c.Internal, &c.At}
	err = s.s.query(ctx, tx, selectComments, []any{id}, func(rows *sql.Rows) error {
		if err := rows.Scan(cdest...); err != nil {
			return err
		}
		comments = append(comments, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("select comments on ticket %d: %w", id, err)
	}
	atts, deleted, err := s.s.loadAttachments(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return r.toDomain(history, comments).RehydrateAttachments(atts, deleted...), nil
}

// selectTicket reads one ticket, its row locked with lock.
func (s *Tickets) selectTicket(lock string) string {
	return `SELECT ` + ticketColumns + ` FROM tickets t WHERE t.id = ?` + lock
}

// The columns of historyRow and commentRow, in the order load scans them.
const (
	selectHistory = `SELECT id, by_id, by_name, from_status, to_status, comment, at, by_reply, merged_into, merged_from
		FROM ticket_history WHERE ticket_id = ? ORDER BY id`
	selectComments = `SELECT id, author_id, author_name, text, internal, at FROM ticket_comments WHERE ticket_id = ? ORDER BY id`
)

// Update loads the ticket with id in a write transaction, locked against
// concurrent updates (FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
// transaction runs alone), calls fn, and saves the ticket, its new history
// entries and comments and its events. An error from fn rolls back and is
// returned; ErrTicketNotFound when there is no such ticket.
func (s *Tickets) Update(ctx context.Context, id int64, fn func(t *domain.Ticket) error) error {
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		t, err := s.load(ctx, tx, id, s.s.d.lockRow)
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
		return s.save(ctx, tx, t)
	})
}

// save writes the loaded ticket t back, with its new history entries,
// comments and files and its events.
func (s *Tickets) save(ctx context.Context, tx *sqlx.Tx, t *domain.Ticket) error {
	const q = `UPDATE tickets SET owner_id = ?, owner_name = ?, title = ?, text = ?, type = ?, status = ?,
		assignee_id = ?, assignee_name = ?, search = ?, created_at = ?, updated_at = ?, rating = ?, rated_at = ?,
		response_due_at = ?, resolution_due_at = ?, first_response_at = ?, resolved_at = ?, response_met = ?,
		resolution_met = ?, waiting_since = ?, paused_seconds = ?, next_due_at = ?, sla_calendar = ? WHERE id = ?`
	if _, err := s.s.exec(ctx, tx, q, append(ticketArgs(t), t.ID())...); err != nil {
		return fmt.Errorf("update ticket %d: %w", t.ID(), err)
	}
	if err := s.insertDetails(ctx, tx, t); err != nil {
		return err
	}
	return s.s.insertEvents(ctx, tx, t.Events())
}
