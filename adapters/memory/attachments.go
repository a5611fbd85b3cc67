package memory

import (
	"bytes"
	"context"
	"io"

	"crm/application"
	"crm/domain"
)

var (
	_ application.Attachments = (*Attachments)(nil)
	_ application.Files       = (*Files)(nil)
)

// fileStore is what Tickets keeps of files, under the Tickets' lock: each
// attachment with its ticket, and each distinct content once by hash.
type fileStore struct {
	byID   map[int64]storedAttachment
	blobs  map[string][]byte
	nextID int64
}

type storedAttachment struct {
	att      domain.Attachment
	ticketID int64
}

func newFileStore() fileStore {
	return fileStore{byID: map[int64]storedAttachment{}, blobs: map[string][]byte{}}
}

// keepFiles stores the files t attached and deleted since it was loaded
// and returns the attachments t now has and the records of its deleted
// ones, without their hashes. comments are t's comments with their ids
// given, in the order of t.Comments().
func (f *fileStore) keepFiles(t *domain.Ticket, comments []domain.Comment) ([]domain.Attachment, []domain.AttachmentDeletion) {
	atts := t.Attachments()
	for i := range atts {
		atts[i].At = micro(atts[i].At)
	}
	deleted := t.DeletedAttachments()
	for i := range deleted {
		deleted[i].At, deleted[i].Attachment.At = micro(deleted[i].At), micro(deleted[i].Attachment.At)
		deleted[i].Attachment.SHA256, deleted[i].Attachment.ThumbSHA256 = "", ""
	}
	for _, p := range t.PendingUploads() {
		a := p.Attachment
		if !p.OnTicket() {
			a.CommentID = comments[p.CommentIndex].ID
		}
		f.nextID++
		a.ID, a.At = f.nextID, micro(a.At)
		f.blobs[p.SHA256] = bytes.Clone(p.Content)
		if p.ThumbSHA256 != "" {
			f.blobs[p.ThumbSHA256] = bytes.Clone(p.Thumbnail)
		}
		f.byID[a.ID] = storedAttachment{att: a, ticketID: t.ID()}
		atts = append(atts, a)
	}
	for _, d := range t.RemovedAttachments() {
		delete(f.byID, d.Attachment.ID)
		f.dropUnreferenced(d.Attachment.SHA256)
		f.dropUnreferenced(d.Attachment.ThumbSHA256)
	}
	return atts, deleted
}

// dropUnreferenced deletes the content with hash when no attachment refers
// to it any more.
func (f *fileStore) dropUnreferenced(hash string) {
	if hash == "" {
		return
	}
	for _, s := range f.byID {
		if s.att.SHA256 == hash || s.att.ThumbSHA256 == hash {
			return
		}
	}
	delete(f.blobs, hash)
}

// Attachments finds the files Tickets keeps.
type Attachments struct{ tickets *Tickets }

// NewAttachments returns the Attachments of the files tickets keeps.
func NewAttachments(tickets *Tickets) *Attachments { return &Attachments{tickets: tickets} }

// Get returns the attachment with id and its ticket's id, or
// domain.ErrAttachmentNotFound.
func (a *Attachments) Get(_ context.Context, id int64) (domain.Attachment, application.AttachedTo, error) {
	a.tickets.mu.Lock()
	defer a.tickets.mu.Unlock()
	s, ok := a.tickets.files.byID[id]
	if !ok {
		return domain.Attachment{}, application.AttachedTo{}, domain.ErrAttachmentNotFound
	}
	t, ok := a.tickets.byID[s.ticketID]
	if !ok {
		return domain.Attachment{}, application.AttachedTo{}, domain.ErrAttachmentNotFound
	}
	return s.att, application.AttachedTo{TicketID: s.ticketID, OwnerID: t.OwnerID()}, nil
}

// Files reads the contents Tickets keeps.
type Files struct{ tickets *Tickets }

// NewFiles returns the Files of the contents tickets keeps.
func NewFiles(tickets *Tickets) *Files { return &Files{tickets: tickets} }

// Open returns a reader of the content with hash sha256, or
// application.ErrFileNotFound.
func (f *Files) Open(_ context.Context, sha256 string) (io.ReadCloser, error) {
	b, err := f.content(sha256)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// Size returns the length of the content with hash sha256, or
// application.ErrFileNotFound.
func (f *Files) Size(_ context.Context, sha256 string) (int64, error) {
	b, err := f.content(sha256)
	return int64(len(b)), err
}

// Exists reports whether content with hash sha256 is kept.
func (f *Files) Exists(_ context.Context, sha256 string) (bool, error) {
	_, err := f.content(sha256)
	return err == nil, nil
}

// content returns the kept content, which nobody changes: a reader may
// hold it after the lock is released.
func (f *Files) content(sha256 string) ([]byte, error) {
	f.tickets.mu.Lock()
	defer f.tickets.mu.Unlock()
	b, ok := f.tickets.files.blobs[sha256]
	if !ok {
		return nil, application.ErrFileNotFound
	}
	return b, nil
}
