package contract

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// Files is the contract of application.Attachments and application.Files,
// with the files Tickets.Add and Tickets.Update keep and delete.
func Files(t *testing.T, newStore Factory) {
	t.Run("the files of a new ticket come back with their content and metadata", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		photo := upload("экран.png", "image/png", bytes.Repeat([]byte("screen "), 100), []byte("small screen"))
		// Larger than a chunk of the readers that fetch a file in pieces.
		manual := upload("manual.pdf", "application/pdf", bytes.Repeat([]byte("%PDF page "), 70_000), nil)
		tk, err := domain.NewTicket(owner, "Треснул экран", "Фото во вложении", "repair", atMoscow(1), photo, manual)
		require.NoError(t, err)
		require.NoError(t, s.Tickets.Add(ctx(t), tk))

		got := get(t, s, tk.ID()).Attachments()
		require.Len(t, got, 2)
		assert.Less(t, got[0].ID, got[1].ID, "oldest first")
		for i, u := range []domain.Upload{photo, manual} {
			a := got[i]
			assert.NotZero(t, a.ID)
			assert.Zero(t, a.CommentID, "on the ticket itself")
			assert.Equal(t, u.Name, a.Name)
			assert.Equal(t, u.ContentType, a.ContentType)
			assert.Equal(t, int64(len(u.Content)), a.Size)
			assert.Equal(t, u.SHA256, a.SHA256)
			assert.Equal(t, u.ThumbSHA256, a.ThumbSHA256)
			assert.False(t, a.Internal)
			assert.Equal(t, owner.ID(), a.ByID)
			assert.Equal(t, "alice", a.ByName)
			assertTime(t, at(1), a.At)

			byID, on, err := s.Attachments.Get(ctx(t), a.ID)
			require.NoError(t, err)
			assert.Equal(t, a, byID)
			assert.Equal(t, tk.ID(), on.TicketID)
			assert.Equal(t, owner.ID(), on.OwnerID, "the ticket's owner comes with the file")
			assert.Equal(t, u.Content, read(t, s, a.SHA256), "content of %s", a.Name)
			size, err := s.Files.Size(ctx(t), a.SHA256)
			require.NoError(t, err)
			assert.Equal(t, a.Size, size)
		}
		assert.Equal(t, photo.Thumbnail, read(t, s, got[0].ThumbSHA256), "the thumbnail")

		stored := events(t, s, domain.KindTicketSubmitted)
		require.Len(t, stored, 1)
		assert.Equal(t, []domain.AttachmentInfo{
			{Name: photo.Name, ContentType: photo.ContentType, Size: int64(len(photo.Content)), SHA256: photo.SHA256},
			{Name: manual.Name, ContentType: manual.ContentType, Size: int64(len(manual.Content)), SHA256: manual.SHA256},
		}, stored[0].Event.(domain.TicketSubmitted).Attachments, "the event carries metadata")
	})

	t.Run("the files of comments are linked to their comment, an internal note's are internal", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sue", domain.RoleStaff)
		tk := addTicket(t, s, owner, "Счёт", "Прошу счёт", domain.TypeService, at(1))
		receipt := upload("чек.txt", "text/plain; charset=utf-8", []byte("итого 100"), nil)
		note := upload("note.txt", "text/plain; charset=utf-8", []byte("staff only"), nil)
		update(t, s, tk.ID(), func(tk *domain.Ticket) error {
			if err := tk.AddComment(owner, "", false, at(2), receipt); err != nil {
				return err
			}
			return tk.AddComment(staff, "проверить", true, at(3), note)
		})

		got := get(t, s, tk.ID())
		comments := got.Comments()
		require.Len(t, comments, 2)
		assert.Empty(t, comments[0].Text, "a comment may be just a file")
		atts := got.Attachments()
		require.Len(t, atts, 2)
		assert.Equal(t, comments[0].ID, atts[0].CommentID)
		assert.False(t, atts[0].Internal)
		assert.Equal(t, comments[1].ID, atts[1].CommentID)
		assert.True(t, atts[1].Internal)
		assert.Equal(t, []domain.Attachment{atts[0]}, got.VisibleAttachments(owner), "the owner sees no internal file")
		assert.Equal(t, atts, got.VisibleAttachments(staff))
		assert.Equal(t, note.Content, read(t, s, atts[1].SHA256))

		added := events(t, s, domain.KindCommentAdded)
		require.Len(t, added, 2)
		assert.Equal(t, []domain.AttachmentInfo{{Name: note.Name, ContentType: note.ContentType,
			Size: int64(len(note.Content)), SHA256: note.SHA256}}, added[0].Event.(domain.CommentAdded).Attachments)
	})

	t.Run("the same content twice is one blob that both attachments read", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sue", domain.RoleStaff)
		same := upload("a.png", "image/png", []byte("the same picture"), []byte("the same thumbnail"))
		other := same
		other.Name = "b.png"
		one := addTicketWith(t, s, owner, at(1), same)
		two := addTicketWith(t, s, owner, at(2), other)
		a, b := get(t, s, one.ID()).Attachments()[0], get(t, s, two.ID()).Attachments()[0]
		require.NotEqual(t, a.ID, b.ID)
		assert.Equal(t, a.SHA256, b.SHA256)

		deleteFile(t, s, staff, one.ID(), a.ID)

		_, _, err := s.Attachments.Get(ctx(t), a.ID)
		require.ErrorIs(t, err, domain.ErrAttachmentNotFound)
		assert.Empty(t, get(t, s, one.ID()).Attachments())
		assert.Equal(t, same.Content, read(t, s, b.SHA256), "the other attachment still reads the content")
		assert.Equal(t, same.Thumbnail, read(t, s, b.ThumbSHA256))

		deleteFile(t, s, staff, two.ID(), b.ID)

		for _, hash := range []string{same.SHA256, same.ThumbSHA256} {
			exists, err := s.Files.Exists(ctx(t), hash)
			require.NoError(t, err)
			assert.False(t, exists, "nothing refers to %s any more", hash)
			_, err = s.Files.Open(ctx(t), hash)
			require.ErrorIs(t, err, application.ErrFileNotFound)
			_, err = s.Files.Size(ctx(t), hash)
			require.ErrorIs(t, err, application.ErrFileNotFound)
		}
	})

	t.Run("deleting a file keeps a content another file has as its thumbnail", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sue", domain.RoleStaff)
		small := []byte("a small picture")
		big := upload("big.png", "image/png", []byte("a big picture"), small)
		thumbAsFile := upload("small.png", "image/png", small, nil)
		tk := addTicketWith(t, s, owner, at(1), big, thumbAsFile)
		atts := get(t, s, tk.ID()).Attachments()
		require.Len(t, atts, 2)

		deleteFile(t, s, staff, tk.ID(), atts[1].ID)

		assert.Equal(t, small, read(t, s, atts[0].ThumbSHA256), "still the thumbnail of big.png")
	})

	t.Run("a deletion is recorded, and a second one finds nothing", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		staff := addUser(t, s, "sue", domain.RoleStaff)
		tk := addTicketWith(t, s, owner, at(1), upload("a.txt", "text/plain", []byte("a"), nil))
		file := get(t, s, tk.ID()).Attachments()[0]
		id := file.ID

		deleteFile(t, s, staff, tk.ID(), id)

		got := get(t, s, tk.ID())
		assert.Empty(t, got.Attachments())
		gone := file
		gone.SHA256, gone.ThumbSHA256 = "", ""
		require.Len(t, got.DeletedAttachments(), 1, "the ticket's history keeps a record of the file")
		deletion := got.DeletedAttachments()[0]
		assertTime(t, at(5), deletion.At)
		deletion.At = at(5)
		assert.Equal(t, domain.AttachmentDeletion{Attachment: gone, ByID: staff.ID(), ByName: "sue", At: at(5)}, deletion,
			"the record without the content's hash")
		_, _, err := s.Attachments.Get(ctx(t), id)
		require.ErrorIs(t, err, domain.ErrAttachmentNotFound)

		deleted := events(t, s, domain.KindAttachmentDeleted)
		require.Len(t, deleted, 1)
		assert.Equal(t, domain.AttachmentDeleted{TicketID: tk.ID(), OwnerID: owner.ID(), AttachmentID: id,
			Name: "a.txt", ByID: staff.ID(), ByName: "sue", At: at(5)}, deleted[0].Event)
		err = s.Tickets.Update(ctx(t), tk.ID(), func(tk *domain.Ticket) error {
			return tk.DeleteAttachment(staff, id, at(6))
		})
		require.ErrorIs(t, err, domain.ErrAttachmentNotFound)
	})

	t.Run("a rolled-back comment leaves no file and no blob", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		tk := addTicket(t, s, owner, "t", "x", domain.TypeRepair, at(1))
		lost := upload("lost.pdf", "application/pdf", []byte("never stored"), []byte("nor its thumbnail"))

		err := s.Tickets.Update(ctx(t), tk.ID(), func(tk *domain.Ticket) error {
			if err := tk.AddComment(owner, "with a file", false, at(2), lost); err != nil {
				return err
			}
			return errBoom
		})

		require.ErrorIs(t, err, errBoom)
		got := get(t, s, tk.ID())
		assert.Empty(t, got.Comments())
		assert.Empty(t, got.Attachments())
		for _, hash := range []string{lost.SHA256, lost.ThumbSHA256} {
			exists, err := s.Files.Exists(ctx(t), hash)
			require.NoError(t, err)
			assert.False(t, exists)
		}
		_, _, err = s.Attachments.Get(ctx(t), 1)
		require.ErrorIs(t, err, domain.ErrAttachmentNotFound)
	})

	t.Run("an unknown attachment and an unknown content are not found", func(t *testing.T) {
		s := newStore(t)
		_, _, err := s.Attachments.Get(ctx(t), 999999)
		require.ErrorIs(t, err, domain.ErrAttachmentNotFound)
		_, err = s.Files.Open(ctx(t), hashOf([]byte("nothing")))
		require.ErrorIs(t, err, application.ErrFileNotFound)
	})
}

// upload is a file as an edge prepares it; thumb may be nil.
func upload(name, contentType string, content, thumb []byte) domain.Upload {
	u := domain.Upload{Name: name, ContentType: contentType, Content: content, SHA256: hashOf(content)}
	if thumb != nil {
		u.Thumbnail, u.ThumbSHA256 = thumb, hashOf(thumb)
	}
	return u
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// addTicketWith stores a new ticket of owner carrying files.
func addTicketWith(t *testing.T, s Store, owner *domain.User, now time.Time, files ...domain.Upload) *domain.Ticket {
	t.Helper()
	tk, err := domain.NewTicket(owner, "With files", "See the files", "repair", now, files...)
	require.NoError(t, err)
	require.NoError(t, s.Tickets.Add(ctx(t), tk))
	return tk
}

// deleteFile deletes attachment id of ticket ticketID on behalf of by, at(5).
func deleteFile(t *testing.T, s Store, by *domain.User, ticketID, id int64) {
	t.Helper()
	update(t, s, ticketID, func(tk *domain.Ticket) error { return tk.DeleteAttachment(by, id, at(5)) })
}

// read returns the whole stored content with hash.
func read(t *testing.T, s Store, hash string) []byte {
	t.Helper()
	r, err := s.Files.Open(ctx(t), hash)
	require.NoError(t, err)
	defer func() { require.NoError(t, r.Close()) }()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return b
}
