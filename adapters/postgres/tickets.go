package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"crm/application"
	"crm/domain"
)

var _ application.Tickets = (*Tickets)(nil)

// Tickets stores tickets with their history and comments.
type Tickets struct {
	db *sqlx.DB
}

// NewTickets returns Tickets over db.
func NewTickets(db *sqlx.DB) *Tickets { return &Tickets{db: db} }

const ticketColumns = `id, owner_id, owner_name, title, text, type, status, assignee_id, assignee_name, search, created_at, updated_at`

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
	Search       string        `db:"search"`
	CreatedAt    time.Time     `db:"created_at"`
	UpdatedAt    time.Time     `db:"updated_at"`
}

type historyRow struct {
	ID         int64     `db:"id"`
	TicketID   int64     `db:"ticket_id"`
	ByID       int64     `db:"by_id"`
	ByName     string    `db:"by_name"`
	FromStatus string    `db:"from_status"`
	ToStatus   string    `db:"to_status"`
	Comment    string    `db:"comment"`
	At         time.Time `db:"at"`
}

type commentRow struct {
	ID         int64     `db:"id"`
	TicketID   int64     `db:"ticket_id"`
	AuthorID   int64     `db:"author_id"`
	AuthorName string    `db:"author_name"`
	Text       string    `db:"text"`
	Internal   bool      `db:"internal"`
	At         time.Time `db:"at"`
}

// searchText is what TicketFilter.Query is matched against: the title, text
// and owner's username, lower-cased in Go, as the SQLite adapter does.
func searchText(t *domain.Ticket) string {
	return strings.ToLower(t.Title() + "\n" + t.Text() + "\n" + t.OwnerName())
}

func ticketFromDomain(t *domain.Ticket) ticketRow {
	return ticketRow{
		ID: t.ID(), OwnerID: t.OwnerID(), OwnerName: t.OwnerName(), Title: t.Title(), Text: t.Text(),
		Type: t.Type().String(), Status: t.Status().String(),
		AssigneeID: nullID(t.AssigneeID()), AssigneeName: t.AssigneeName(), Search: searchText(t),
		CreatedAt: ts(t.CreatedAt()), UpdatedAt: ts(t.UpdatedAt()),
	}
}

func (r ticketRow) toDomain(history []historyRow, comments []commentRow) *domain.Ticket {
	var hs []domain.StatusChange
	var cs []domain.Comment
	if history != nil || comments != nil {
		hs = make([]domain.StatusChange, len(history))
		for i, h := range history {
			hs[i] = h.toDomain()
		}
		cs = make([]domain.Comment, len(comments))
		for i, c := range comments {
			cs[i] = c.toDomain()
		}
	}
	return domain.RehydrateTicket(r.ID, r.OwnerID, r.OwnerName, r.Title, r.Text,
		domain.MustParseTicketType(r.Type), domain.MustParseStatus(r.Status),
		r.AssigneeID.Int64, r.AssigneeName, r.CreatedAt.UTC(), r.UpdatedAt.UTC(), hs, cs)
}

func historyFromDomain(ticketID int64, h domain.StatusChange) historyRow {
	return historyRow{ID: h.ID, TicketID: ticketID, ByID: h.ByID, ByName: h.ByName,
		FromStatus: h.From.String(), ToStatus: h.To.String(), Comment: h.Comment, At: ts(h.At)}
}

func (r historyRow) toDomain() domain.StatusChange {
	return domain.StatusChange{ID: r.ID, ByID: r.ByID, ByName: r.ByName,
		From: domain.MustParseStatus(r.FromStatus), To: domain.MustParseStatus(r.ToStatus),
		Comment: r.Comment, At: r.At.UTC()}
}

func commentFromDomain(ticketID int64, c domain.Comment) commentRow {
	return commentRow{ID: c.ID, TicketID: ticketID, AuthorID: c.AuthorID, AuthorName: c.AuthorName,
		Text: c.Text, Internal: c.Internal, At: ts(c.At)}
}

func (r commentRow) toDomain() domain.Comment {
	return domain.Comment{ID: r.ID, AuthorID: r.AuthorID, AuthorName: r.AuthorName,
		Text: r.Text, Internal: r.Internal, At: r.At.UTC()}
}

// Add stores t with its history, comments and events in one transaction and
// sets its id.
func (s *Tickets) Add(ctx context.Context, t *domain.Ticket) error {
	const q = `INSERT INTO tickets (owner_id, owner_name, title, text, type, status, assignee_id, assignee_name, search, created_at, updated_at)
		VALUES (:owner_id, :owner_name, :title, :text, :type, :status, :assignee_id, :assignee_name, :search, :created_at, :updated_at)
		RETURNING id`
	if t.ID() != 0 {
		return fmt.Errorf("add ticket %d: already stored", t.ID())
	}
	return inTx(ctx, s.db, func(tx *sqlx.Tx) error {
		query, args, err := tx.BindNamed(q, ticketFromDomain(t))
		if err != nil {
			return fmt.Errorf("insert ticket: %w", err)
		}
		var id int64
		if err := tx.QueryRowxContext(ctx, query, args...).Scan(&id); err != nil {
			return fmt.Errorf("insert ticket: %w", err)
		}
		t.SetID(id) // before the events: it stamps the id on TicketSubmitted
		if err := insertDetails(ctx, tx, t); err != nil {
			return err
		}
		return insertEvents(ctx, tx, t.Events())
	})
}

// insertDetails stores the history entries and comments of t that are not
// stored yet (id 0).
func insertDetails(ctx context.Context, tx *sqlx.Tx, t *domain.Ticket) error {
	const (
		qHistory = `INSERT INTO ticket_history (ticket_id, by_id, by_name, from_status, to_status, comment, at)
			VALUES (:ticket_id, :by_id, :by_name, :from_status, :to_status, :comment, :at)`
		qComment = `INSERT INTO ticket_comments (ticket_id, author_id, author_name, text, internal, at)
			VALUES (:ticket_id, :author_id, :author_name, :text, :internal, :at)`
	)
	for _, h := range t.History() {
		if h.ID != 0 {
			continue
		}
		if _, err := tx.NamedExecContext(ctx, qHistory, historyFromDomain(t.ID(), h)); err != nil {
			return fmt.Errorf("insert history of ticket %d: %w", t.ID(), err)
		}
	}
	for _, c := range t.Comments() {
		if c.ID != 0 {
			continue
		}
		if _, err := tx.NamedExecContext(ctx, qComment, commentFromDomain(t.ID(), c)); err != nil {
			return fmt.Errorf("insert comment on ticket %d: %w", t.ID(), err)
		}
	}
	return nil
}

// Get returns the ticket with id, with history and comments, or
// ErrTicketNotFound.
func (s *Tickets) Get(ctx context.Context, id int64) (*domain.Ticket, error) {
	const q = `SELECT ` + ticketColumns + ` FROM tickets WHERE id = $1`
	var t *domain.Ticket
	err := inReadTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var err error
		t, err = loadTicket(ctx, tx, q, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// loadTicket reads the ticket with id by qTicket, then its history and its
// comments.
func loadTicket(ctx context.Context, tx *sqlx.Tx, qTicket string, id int64) (*domain.Ticket, error) {
	const (
		qHistory  = `SELECT id, ticket_id, by_id, by_name, from_status, to_status, comment, at FROM ticket_history WHERE ticket_id = $1 ORDER BY id`
		qComments = `SELECT id, ticket_id, author_id, author_name, text, internal, at FROM ticket_comments WHERE ticket_id = $1 ORDER BY id`
	)
	var r ticketRow
	err := tx.GetContext(ctx, &r, qTicket, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrTicketNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("select ticket %d: %w", id, err)
	}
	history := []historyRow{}
	if err := tx.SelectContext(ctx, &history, qHistory, id); err != nil {
		return nil, fmt.Errorf("select history of ticket %d: %w", id, err)
	}
	comments := []commentRow{}
	if err := tx.SelectContext(ctx, &comments, qComments, id); err != nil {
		return nil, fmt.Errorf("select comments on ticket %d: %w", id, err)
	}
	return r.toDomain(history, comments), nil
}

// Update loads and locks the ticket with id (SELECT … FOR UPDATE), calls fn,
// and saves the ticket, its new history entries and comments and its
// events. An error from fn rolls back and is returned; ErrTicketNotFound
// when there is no such ticket.
func (s *Tickets) Update(ctx context.Context, id int64, fn func(t *domain.Ticket) error) error {
	const (
		qSelect = `SELECT ` + ticketColumns + ` FROM tickets WHERE id = $1 FOR UPDATE`
		qUpdate = `UPDATE tickets SET owner_name = :owner_name, title = :title, text = :text, type = :type,
			status = :status, assignee_id = :assignee_id, assignee_name = :assignee_name, search = :search,
			updated_at = :updated_at
			WHERE id = :id`
	)
	return inTx(ctx, s.db, func(tx *sqlx.Tx) error {
		t, err := loadTicket(ctx, tx, qSelect, id)
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
		if _, err := tx.NamedExecContext(ctx, qUpdate, ticketFromDomain(t)); err != nil {
			return fmt.Errorf("update ticket %d: %w", id, err)
		}
		if err := insertDetails(ctx, tx, t); err != nil {
			return err
		}
		return insertEvents(ctx, tx, t.Events())
	})
}

// Search returns one page of tickets matching f, newest first, without
// history and comments, with the total and the counts per status.
func (s *Tickets) Search(ctx context.Context, f application.TicketFilter) (application.TicketPage, error) {
	const (
		qCount = `SELECT status, count(*) AS n FROM tickets`
		qPage  = `SELECT ` + ticketColumns + ` FROM tickets`
	)
	p := f.Page.Normalized()
	// Every filter but the status: ByStatus counts with these.
	var w filter
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if !f.Type.IsZero() {
		w.add("type = ?", f.Type.String())
	}
	switch {
	case f.AssigneeID == application.Unassigned:
		w.add("assignee_id IS NULL")
	case f.AssigneeID > 0:
		w.add("assignee_id = ?", f.AssigneeID)
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		w.add(`search LIKE ? ESCAPE '\'`, likePattern(query))
	}
	pw := w.clone()
	if !f.Status.IsZero() {
		pw.add("status = ?", f.Status.String())
	}
	if p.Before != 0 {
		pw.add("id < ?", p.Before)
	}
	qp := qPage + pw.where() + " ORDER BY id DESC LIMIT " + pw.arg(p.Limit+1)

	page := application.TicketPage{Tickets: []*domain.Ticket{}, ByStatus: map[domain.Status]int{}}
	err := inReadTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var counts []struct {
			Status string `db:"status"`
			N      int    `db:"n"`
		}
		if err := tx.SelectContext(ctx, &counts, qCount+w.where()+" GROUP BY status", w.args...); err != nil {
			return fmt.Errorf("count tickets: %w", err)
		}
		for _, c := range counts {
			st := domain.MustParseStatus(c.Status)
			page.ByStatus[st] = c.N
			if f.Status.IsZero() || st == f.Status {
				page.Total += c.N
			}
		}
		var rows []ticketRow
		if err := tx.SelectContext(ctx, &rows, qp, pw.args...); err != nil {
			return fmt.Errorf("select tickets: %w", err)
		}
		for i, r := range rows {
			if i == p.Limit {
				page.Next = rows[i-1].ID
				break
			}
			page.Tickets = append(page.Tickets, r.toDomain(nil, nil))
		}
		return nil
	})
	if err != nil {
		return application.TicketPage{}, err
	}
	return page, nil
}
