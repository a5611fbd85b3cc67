package application

import (
	"context"
	"errors"
	"fmt"
	"io"

	"crm/domain"
)

// GetAttachment reads a file of a ticket, or its thumbnail.
type GetAttachment struct {
	Actor     *domain.User
	ID        int64
	Thumbnail bool
}

type GetAttachmentHandler struct {
	attachments Attachments
	files       Files
}

func NewGetAttachmentHandler(attachments Attachments, files Files) GetAttachmentHandler {
	return GetAttachmentHandler{attachments: attachments, files: files}
}

// Handle returns the attachment and a reader of its content, which the
// caller closes. With Thumbnail it returns the thumbnail instead: the
// attachment then describes the thumbnail (a JPEG: its ContentType, Size
// and SHA256), the name kept.
//
// The ticket must be one Actor may see (owner or staff), and a file of an
// internal note needs staff. Otherwise, and for an unknown id or an image
// without thumbnail, the error is domain.ErrAttachmentNotFound: a reader
// cannot learn that a file they may not see exists.
func (h GetAttachmentHandler) Handle(ctx context.Context, q GetAttachment) (domain.Attachment, io.ReadCloser, error) {
	att, on, err := h.attachments.Get(ctx, q.ID)
	if err != nil {
		return domain.Attachment{}, nil, err
	}
	// The owner comes with the attachment, so a page of thumbnails does
	// not read the ticket once per image.
	if !domain.CanSeeTicketOf(q.Actor, on.OwnerID) || (att.Internal && !q.Actor.IsStaff()) {
		return domain.Attachment{}, nil, domain.ErrAttachmentNotFound
	}
	if q.Thumbnail {
		if att.ThumbSHA256 == "" {
			return domain.Attachment{}, nil, domain.ErrAttachmentNotFound
		}
		size, err := h.files.Size(ctx, att.ThumbSHA256)
		if err != nil {
			return domain.Attachment{}, nil, h.fileError(err, q.ID)
		}
		att.ContentType, att.Size, att.SHA256, att.ThumbSHA256 = "image/jpeg", size, att.ThumbSHA256, ""
	}
	r, err := h.files.Open(ctx, att.SHA256)
	if err != nil {
		return domain.Attachment{}, nil, h.fileError(err, q.ID)
	}
	return att, r, nil
}

// fileError maps a missing content to ErrAttachmentNotFound: the file was
// deleted between reading its record and opening it.
func (GetAttachmentHandler) fileError(err error, id int64) error {
	if errors.Is(err, ErrFileNotFound) {
		return domain.ErrAttachmentNotFound
	}
	return fmt.Errorf("open attachment %d: %w", id, err)
}
