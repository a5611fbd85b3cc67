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

var _ application.Attachments = (*Attachments)(nil)

// Attachments finds the files of tickets, which Tickets writes and
// deletes with the tickets' other changes.
type Attachments struct{ s *Store }

// NewAttachments returns Attachments over s.
func NewAttachments(s *Store) *Attachments { return &Attachments{s: s} }

type attachmentRow struct {
	ID          int64          `db:"id"`
	TicketID    int64          `db:"ticket_id"`
	CommentID   sql.NullInt64  `db:"comment_id"`
	Name        string         `db:"name"`
	ContentType string         `db:"content_type"`
	Size        int64          `db:"size"`
	SHA256      string         `db:"sha256"`
	ThumbSHA256 sql.NullString `db:"thumb_sha256"`
	Internal    bool           `db:"internal"`
	ByID        int64          `db:"by_id"`
	ByName      string         `db:"by_name"`
	At          timestamp      `db:"at"`
}

func (r attachmentRow) toDomain() domain.Attachment {
	return domain.Attachment{ID: r.ID, CommentID: r.CommentID.Int64, Name: r.Name, ContentType: r.ContentType,
		Size: r.Size, SHA256: r.SHA256, ThumbSHA256: r.ThumbSHA256.String, Internal: r.Internal,
		ByID: r.ByID, ByName: r.ByName, At: r.At.Time}
}

const (
	attachmentColumns = `id, ticket_id, comment_id, name, content_type, size, sha256, thumb_sha256, internal,
		by_id, by_name, at`
	selectAttachment  = `SELECT ` + attachmentColumns + ` FROM ticket_attachments WHERE id = ?`
	selectAttachments = `SELECT ` + attachmentColumns + ` FROM ticket_attachments WHERE ticket_id = ? ORDER BY id`
	insertAttachment  = `INSERT INTO ticket_attachments (ticket_id, comment_id, name, content_type, size, sha256,
		thumb_sha256, internal, by_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	deleteAttachment = `DELETE FROM ticket_attachments WHERE id = ? AND ticket_id = ?`
)

// Get returns the attachment with id and its ticket's id, or
// domain.ErrAttachmentNotFound.
func (a *Attachments) Get(ctx context.Context, id int64) (domain.Attachment, int64, error) {
	var r attachmentRow
	err := a.s.get(ctx, nil, &r, selectAttachment, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Attachment{}, 0, domain.ErrAttachmentNotFound
	}
	if err != nil {
		return domain.Attachment{}, 0, fmt.Errorf("select attachment %d: %w", id, err)
	}
	return r.toDomain(), r.TicketID, nil
}

// loadAttachments reads the stored files of ticket id, oldest first.
func (s *Store) loadAttachments(ctx context.Context, tx *sqlx.Tx, id int64) ([]domain.Attachment, error) {
	var rows []attachmentRow
	if err := s.sel(ctx, tx, &rows, selectAttachments, id); err != nil {
		return nil, fmt.Errorf("select attachments of ticket %d: %w", id, err)
	}
	atts := make([]domain.Attachment, len(rows))
	for i, r := range rows {
		atts[i] = r.toDomain()
	}
	return atts, nil
}

// saveFiles stores the files t attached and deletes those it deleted
// since it was made or loaded, with their contents. commentIDs are the ids
// of t's comments, in the order of t.Comments().
func (s *Store) saveFiles(ctx context.Context, tx *sqlx.Tx, t *domain.Ticket, commentIDs []int64) error {
	for _, p := range t.PendingUploads() {
		var commentID int64
		if !p.OnTicket() {
			commentID = commentIDs[p.CommentIndex]
		}
		if err := s.insertBlob(ctx, tx, p.SHA256, p.Content); err != nil {
			return err
		}
		if p.ThumbSHA256 != "" {
			if err := s.insertBlob(ctx, tx, p.ThumbSHA256, p.Thumbnail); err != nil {
				return err
			}
		}
		a := p.Attachment
		thumb := sql.NullString{String: a.ThumbSHA256, Valid: a.ThumbSHA256 != ""}
		if _, err := s.exec(ctx, tx, insertAttachment, t.ID(), nullID(commentID), a.Name, a.ContentType, a.Size,
			a.SHA256, thumb, a.Internal, a.ByID, a.ByName, a.At); err != nil {
			return fmt.Errorf("insert attachment of ticket %d: %w", t.ID(), err)
		}
	}
	for _, a := range t.RemovedAttachments() {
		if _, err := s.exec(ctx, tx, deleteAttachment, a.ID, t.ID()); err != nil {
			return fmt.Errorf("delete attachment %d: %w", a.ID, err)
		}
		if err := s.deleteUnusedBlob(ctx, tx, a.SHA256); err != nil {
			return err
		}
		if err := s.deleteUnusedBlob(ctx, tx, a.ThumbSHA256); err != nil {
			return err
		}
	}
	return nil
}
