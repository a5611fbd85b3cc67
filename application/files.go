package application

import (
	"context"
	"errors"
	"io"

	"crm/domain"
)

// ErrFileNotFound: no stored content with that hash.
var ErrFileNotFound = errors.New("file not found")

// Attachments finds stored files by id. The files themselves are written
// and deleted with their ticket, through Tickets.Add and Tickets.Update.
type Attachments interface {
	// Get returns the attachment with id and where it is, or
	// domain.ErrAttachmentNotFound.
	Get(ctx context.Context, id int64) (att domain.Attachment, on AttachedTo, err error)
}

// AttachedTo is the ticket a file is on and that ticket's owner: enough to
// decide who may read the file without loading the ticket.
type AttachedTo struct {
	TicketID, OwnerID int64
}

// Files reads the stored content of attachments and thumbnails, kept once
// per distinct content under its SHA-256 (lowercase hex).
type Files interface {
	// Open returns a reader of the content with the hash sha256, or
	// ErrFileNotFound. The caller closes it.
	Open(ctx context.Context, sha256 string) (io.ReadCloser, error)
	// Size returns the length of the content with the hash sha256, or
	// ErrFileNotFound.
	Size(ctx context.Context, sha256 string) (int64, error)
	// Exists reports whether content with the hash sha256 is stored.
	Exists(ctx context.Context, sha256 string) (bool, error)
}

// AttachmentLimits bound the files of one message (a new ticket or a
// comment), whichever edge received them. The zero value takes no file.
type AttachmentLimits struct {
	MaxBytes int64 // of each file
	MaxFiles int   // per message
}

// Check returns a domain.ValidationError on "files" when files break the
// limits: more than MaxFiles (CodeTooMany) or one over MaxBytes
// (CodeTooLarge).
func (l AttachmentLimits) Check(files []domain.Upload) error {
	if len(files) > l.MaxFiles {
		return domain.ValidationError{Field: "files", Code: domain.CodeTooMany}
	}
	for _, f := range files {
		if int64(len(f.Content)) > l.MaxBytes {
			return domain.ValidationError{Field: "files", Code: domain.CodeTooLarge}
		}
	}
	return nil
}
