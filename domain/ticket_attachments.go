package domain

import (
	"slices"
	"time"
)

// PendingUpload is a file attached since the ticket was made or loaded,
// which storage has not kept yet: its bytes and the record to keep.
type PendingUpload struct {
	Upload
	// Attachment is the record to store; its ID is 0 and its CommentID
	// is 0 (storage links it to the comment at CommentIndex).
	Attachment Attachment
	// CommentIndex is the index, in Comments(), of the new comment that
	// carries the file, or -1 when the file is on the ticket itself.
	// Storage inserts that comment first and links the file to its id.
	CommentIndex int
}

// OnTicket reports whether the file is on the ticket itself rather than
// on a comment.
func (p PendingUpload) OnTicket() bool { return p.CommentIndex < 0 }

// AttachmentDeletion is what a ticket keeps of a file staff deleted: the
// file's record (its content is gone: SHA256 and ThumbSHA256 are "" once
// stored), who deleted it and when. The ticket's history shows it.
type AttachmentDeletion struct {
	Attachment Attachment
	ByID       int64
	ByName     string
	At         time.Time
}

// attach records uploads by by as pending files of the ticket (on the
// comment at commentIndex, or on the ticket itself when it is -1) and
// returns what events say of them. The uploads are checked already.
func (t *Ticket) attach(by *User, uploads []Upload, commentIndex int, internal bool, now time.Time) []AttachmentInfo {
	var infos []AttachmentInfo
	for _, u := range uploads {
		t.pending = append(t.pending, PendingUpload{
			Upload: u,
			Attachment: Attachment{
				Name: u.Name, ContentType: u.ContentType, Size: int64(len(u.Content)),
				SHA256: u.SHA256, ThumbSHA256: u.ThumbSHA256, Internal: internal,
				ByID: by.ID(), ByName: by.Username(), At: now,
			},
			CommentIndex: commentIndex,
		})
		infos = append(infos, AttachmentInfo{Name: u.Name, ContentType: u.ContentType,
			Size: int64(len(u.Content)), SHA256: u.SHA256})
	}
	return infos
}

// RehydrateAttachments gives a stored ticket its stored files and the
// records of its deleted ones, oldest first, and returns it. Only storage
// adapters call it, on a ticket they have just rehydrated; the ticket keeps
// copies of atts and deleted.
func (t *Ticket) RehydrateAttachments(atts []Attachment, deleted ...AttachmentDeletion) *Ticket {
	t.attachments = slices.Clone(atts)
	for i := range t.attachments {
		t.attachments[i].At = t.attachments[i].At.UTC()
	}
	t.deleted = slices.Clone(deleted)
	for i := range t.deleted {
		t.deleted[i].At = t.deleted[i].At.UTC()
		t.deleted[i].Attachment.At = t.deleted[i].Attachment.At.UTC()
	}
	return t
}

// Attachments returns a copy of the stored files, internal ones included,
// oldest first. Files attached since the ticket was made or loaded are not
// among them until storage keeps them (see PendingUploads).
func (t *Ticket) Attachments() []Attachment { return slices.Clone(t.attachments) }

// VisibleAttachments returns a copy of the stored files reader may see:
// every one for staff, none of an internal note for anyone else.
func (t *Ticket) VisibleAttachments(reader *User) []Attachment {
	if reader.IsStaff() {
		return t.Attachments()
	}
	out := make([]Attachment, 0, len(t.attachments))
	for _, a := range t.attachments {
		if !a.Internal {
			out = append(out, a)
		}
	}
	return out
}

// Attachment returns the stored file with id, or ErrAttachmentNotFound.
func (t *Ticket) Attachment(id int64) (Attachment, error) {
	i := t.attachmentIndex(id)
	if i < 0 {
		return Attachment{}, ErrAttachmentNotFound
	}
	return t.attachments[i], nil
}

// attachmentIndex is the index of the stored file with id, or -1.
func (t *Ticket) attachmentIndex(id int64) int {
	return slices.IndexFunc(t.attachments, func(a Attachment) bool { return a.ID == id })
}

// PendingUploads returns the files attached since the ticket was made or
// loaded, in the order they were attached, for storage to keep in the
// transaction that stores the ticket.
func (t *Ticket) PendingUploads() []PendingUpload { return slices.Clone(t.pending) }

// RemovedAttachments returns the stored files deleted since the ticket was
// loaded, for storage to delete (keeping their records) with the ticket's
// other changes.
func (t *Ticket) RemovedAttachments() []AttachmentDeletion { return slices.Clone(t.removed) }

// DeletedAttachments returns a copy of the records of deleted files,
// internal ones included, oldest deletion first: the stored ones, then
// those deleted since the ticket was loaded.
func (t *Ticket) DeletedAttachments() []AttachmentDeletion {
	return append(slices.Clone(t.deleted), t.removed...)
}

// VisibleDeletedAttachments returns the records of deleted files reader
// may see: every one for staff, none of an internal note's file for
// anyone else.
func (t *Ticket) VisibleDeletedAttachments(reader *User) []AttachmentDeletion {
	all := t.DeletedAttachments()
	if reader.IsStaff() {
		return all
	}
	return slices.DeleteFunc(all, func(d AttachmentDeletion) bool { return d.Attachment.Internal })
}

// DeleteAttachment deletes the stored file with id on behalf of by,
// keeping a record of it (see DeletedAttachments), and records
// AttachmentDeleted. Only staff delete files: ErrForbidden for
// anyone else; ErrAttachmentNotFound when the ticket has no such file.
func (t *Ticket) DeleteAttachment(by *User, id int64, now time.Time) error {
	if !by.IsStaff() {
		return ErrForbidden
	}
	i := t.attachmentIndex(id)
	if i < 0 {
		return ErrAttachmentNotFound
	}
	a := t.attachments[i]
	now = now.UTC()
	t.attachments = slices.Delete(t.attachments, i, i+1)
	t.removed = append(t.removed, AttachmentDeletion{Attachment: a, ByID: by.ID(), ByName: by.Username(), At: now})
	t.updatedAt = now
	t.record(AttachmentDeleted{TicketID: t.id, OwnerID: t.ownerID, AttachmentID: a.ID, Name: a.Name,
		ByID: by.ID(), ByName: by.Username(), At: now})
	return nil
}
