package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

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
	SHA256      sql.NullString `db:"sha256"`
	ThumbSHA256 sql.NullString `db:"thumb_sha256"`
	Internal    bool           `db:"internal"`
	ByID        int64          `db:"by_id"`
	ByName      string         `db:"by_name"`
	At          timestamp      `db:"at"`
	// The deletion of a deleted file (whose hashes are NULL).
	DeletedAt     timestamp      `db:"deleted_at"`
	DeletedByID   sql.NullInt64  `db:"deleted_by_id"`
	DeletedByName sql.NullString `db:"deleted_by_name"`
}

func (r attachmentRow) toDomain() domain.Attachment {
	return domain.Attachment{ID: r.ID, CommentID: r.CommentID.Int64, Name: r.Name, ContentType: r.ContentType,
		Size: r.Size, SHA256: r.SHA256.String, ThumbSHA256: r.ThumbSHA256.String, Internal: r.Internal,
		ByID: r.ByID, ByName: r.ByName, At: r.At.Time}
}

func (r attachmentRow) deleted() bool { return !r.SHA256.Valid }

func (r attachmentRow) toDeletion() domain.AttachmentDeletion {
	return domain.AttachmentDeletion{Attachment: r.toDomain(), ByID: r.DeletedByID.Int64,
		ByName: r.DeletedByName.String, At: r.DeletedAt.Time}
}

const (
	attachmentColumns = `id, ticket_id, comment_id, name, content_type, size, sha256, thumb_sha256, internal,
		by_id, by_name, at, deleted_at, deleted_by_id, deleted_by_name`
	selectAttachment = `SELECT ` + attachmentColumns + `,
		(SELECT owner_id FROM tickets WHERE tickets.id = ticket_attachments.ticket_id) AS owner_id
		FROM ticket_attachments WHERE id = ? AND deleted_at IS NULL`
	selectAttachments = `SELECT ` + attachmentColumns + ` FROM ticket_attachments WHERE ticket_id = ? ORDER BY id`
	insertAttachment  = `INSERT INTO ticket_attachments (ticket_id, comment_id, name, content_type, size, sha256,
		thumb_sha256, internal, by_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	// deleteAttachment keeps the row as the record of the deletion, without
	// the hashes, which would keep the blobs.
	deleteAttachment = `UPDATE ticket_attachments SET sha256 = NULL, thumb_sha256 = NULL,
		deleted_at = ?, deleted_by_id = ?, deleted_by_name = ? WHERE id = ? AND ticket_id = ?`
)

// Get returns the attachment with id and its ticket's id, or
// domain.ErrAttachmentNotFound.
func (a *Attachments) Get(ctx context.Context, id int64) (domain.Attachment, application.AttachedTo, error) {
	var r struct {
		attachmentRow
		OwnerID int64 `db:"owner_id"`
	}
	err := a.s.get(ctx, nil, &r, selectAttachment, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Attachment{}, application.AttachedTo{}, domain.ErrAttachmentNotFound
	}
	if err != nil {
		return domain.Attachment{}, application.AttachedTo{}, fmt.Errorf("select attachment %d: %w", id, err)
	}
	return r.toDomain(), application.AttachedTo{TicketID: r.TicketID, OwnerID: r.OwnerID}, nil
}

// loadAttachments reads the stored files of ticket id and the records of
// its deleted ones, oldest first.
func (s *Store) loadAttachments(ctx context.Context, tx *sqlx.Tx, id int64) ([]domain.Attachment, []domain.AttachmentDeletion, error) {
	var rows []attachmentRow
	if err := s.sel(ctx, tx, &rows, selectAttachments, id); err != nil {
		return nil, nil, fmt.Errorf("select attachments of ticket %d: %w", id, err)
	}
	atts := []domain.Attachment{}
	var deleted []domain.AttachmentDeletion
	for _, r := range rows {
		if r.deleted() {
			deleted = append(deleted, r.toDeletion())
		} else {
			atts = append(atts, r.toDomain())
		}
	}
	slices.SortStableFunc(deleted, func(a, b domain.AttachmentDeletion) int { return a.At.Compare(b.At) })
	return atts, deleted, nil
}

// saveFiles stores the files t attached and deletes those it deleted
// since it was made or loaded (keeping a record of them), with their
// contents when nothing else refers to them. commentIDs are the ids
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
	for _, d := range t.RemovedAttachments() {
		a := d.Attachment
		if _, err := s.exec(ctx, tx, deleteAttachment, d.At, d.ByID, d.ByName, a.ID, t.ID()); err != nil {
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
