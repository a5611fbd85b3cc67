package domain_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

func hexHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// file is an upload as the edge prepares it.
func file(name, contentType, content string) domain.Upload {
	return domain.Upload{Name: name, ContentType: contentType, Content: []byte(content), SHA256: hexHash([]byte(content))}
}

// withThumb gives u a thumbnail.
func withThumb(u domain.Upload, thumb string) domain.Upload {
	u.Thumbnail, u.ThumbSHA256 = []byte(thumb), hexHash([]byte(thumb))
	return u
}

func info(u domain.Upload) domain.AttachmentInfo {
	return domain.AttachmentInfo{Name: u.Name, ContentType: u.ContentType, Size: int64(len(u.Content)), SHA256: u.SHA256}
}

func TestNewTicketWithFiles(t *testing.T) {
	photo := withThumb(file("экран.jpg", "image/jpeg", "jpeg bytes"), "thumb bytes")
	doc := file("notes.txt", "text/plain; charset=utf-8", "notes")

	tk, err := domain.NewTicket(owner, "Экран", "Треснул", "repair", t0, photo, doc)

	require.NoError(t, err)
	assert.Empty(t, tk.Attachments(), "not stored yet")
	pending := tk.PendingUploads()
	require.Len(t, pending, 2)
	assert.True(t, pending[0].OnTicket())
	assert.Equal(t, photo, pending[0].Upload)
	assert.Equal(t, domain.Attachment{Name: "экран.jpg", ContentType: "image/jpeg", Size: 10, SHA256: photo.SHA256,
		ThumbSHA256: photo.ThumbSHA256, ByID: owner.ID(), ByName: owner.Username(), At: t0}, pending[0].Attachment)
	assert.Equal(t, -1, pending[1].CommentIndex)
	assert.Equal(t, []domain.Event{domain.TicketSubmitted{
		OwnerID: owner.ID(), OwnerName: owner.Username(), Title: "Экран", Type: "repair", At: t0,
		Attachments: []domain.AttachmentInfo{info(photo), info(doc)},
	}}, tk.Events(), "the event carries metadata, never bytes")
}

func TestFilesThatAreRefused(t *testing.T) {
	ok := file("a.pdf", "application/pdf", "%PDF")
	wrongHash := ok
	wrongHash.SHA256 = hexHash([]byte("other"))
	thumbWithoutHash := ok
	thumbWithoutHash.Thumbnail = []byte("thumb")
	wrongThumbHash := withThumb(ok, "thumb")
	wrongThumbHash.ThumbSHA256 = ok.SHA256

	tests := []struct {
		name string
		file domain.Upload
		code string
	}{
		{"no name", file("", "application/pdf", "x"), domain.CodeRequired},
		{"a slash", file("a/b.pdf", "application/pdf", "x"), domain.CodeInvalid},
		{"a backslash", file(`..\b.pdf`, "application/pdf", "x"), domain.CodeInvalid},
		{"dots only", file("..", "application/pdf", "x"), domain.CodeInvalid},
		{"a control character", file("a\x00.pdf", "application/pdf", "x"), domain.CodeInvalidText},
		{"a newline", file("a\n.pdf", "application/pdf", "x"), domain.CodeInvalidText},
		{"256 characters", file(strings.Repeat("ж", 252)+".pdf", "application/pdf", "x"), domain.CodeTooLong},
		{"no bytes", file("a.pdf", "application/pdf", ""), domain.CodeEmpty},
		{"HTML", file("a.jpg", "text/html; charset=utf-8", "<html>"), domain.CodeType},
		{"SVG", file("a.svg", "image/svg+xml", "<svg>"), domain.CodeType},
		{"no type", file("a", "", "x"), domain.CodeType},
		{"a hash that is not the content's", wrongHash, domain.CodeInvalid},
		{"a thumbnail without hash", thumbWithoutHash, domain.CodeInvalid},
		{"a thumbnail hash that is not the thumbnail's", wrongThumbHash, domain.CodeInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := domain.ValidationError{Field: "files", Code: tc.code}

			_, err := domain.NewTicket(owner, "title", "text", "repair", t0, ok, tc.file)
			assert.Equal(t, domain.ValidationErrors{want}, err, "on a new ticket")

			tk := ticketIn(domain.StatusOpen)
			err = tk.AddComment(owner, "text", false, t0, tc.file)
			assert.Equal(t, want, err, "on a comment")
			assert.Empty(t, tk.Comments(), "nothing changes")
			assert.Empty(t, tk.PendingUploads())
			assert.Empty(t, tk.Events())
		})
	}

	t.Run("255 characters and the allowed types", func(t *testing.T) {
		for _, ct := range []string{"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf",
			"text/plain; charset=utf-8", "application/msword", "application/vnd.oasis.opendocument.text",
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
			tk := ticketIn(domain.StatusOpen)
			require.NoError(t, tk.AddComment(owner, "", false, t0, file(strings.Repeat("ж", 251)+".bin", ct, "x")), ct)
		}
	})

	t.Run("the other fields are reported with the files", func(t *testing.T) {
		_, err := domain.NewTicket(owner, "", "text", "repair", t0, file("a", "text/html", "x"))
		assert.Equal(t, domain.ValidationErrors{{Field: "title", Code: domain.CodeRequired}, {Field: "files", Code: domain.CodeType}}, err)
	})
}

func TestCommentWithFiles(t *testing.T) {
	tk := ticketIn(domain.StatusInProgress)
	receipt := file("чек.pdf", "application/pdf", "%PDF receipt")
	note := file("note.txt", "text/plain", "internal")
	require.NoError(t, tk.AddComment(owner, "  ", false, t0, receipt), "a file needs no text")
	require.NoError(t, tk.AddComment(staff, "see", true, t0.Add(time.Minute), note))

	pending := tk.PendingUploads()
	require.Len(t, pending, 2)
	assert.Equal(t, 0, pending[0].CommentIndex, "on the first new comment")
	assert.False(t, pending[0].Attachment.Internal)
	assert.Equal(t, owner.ID(), pending[0].Attachment.ByID)
	assert.Equal(t, 1, pending[1].CommentIndex)
	assert.True(t, pending[1].Attachment.Internal, "an internal note's file is internal")
	assert.Equal(t, "", tk.Comments()[0].Text)
	events := tk.Events()
	require.Len(t, events, 2)
	assert.Equal(t, []domain.AttachmentInfo{info(receipt)}, events[0].(domain.CommentAdded).Attachments)
	assert.Equal(t, []domain.AttachmentInfo{info(note)}, events[1].(domain.CommentAdded).Attachments)

	t.Run("no text and no file is refused", func(t *testing.T) {
		err := ticketIn(domain.StatusOpen).AddComment(owner, " ", false, t0)
		assert.Equal(t, domain.ValidationError{Field: "text", Code: domain.CodeRequired}, err)
	})
	t.Run("the rules of comments hold with files", func(t *testing.T) {
		err := ticketIn(domain.StatusOpen).AddComment(stranger, "", false, t0, receipt)
		require.ErrorIs(t, err, domain.ErrForbidden)
		err = ticketIn(domain.StatusOpen).AddComment(owner, "", true, t0, receipt)
		require.ErrorIs(t, err, domain.ErrForbidden, "no internal note by the owner")
		closed := ticketIn(domain.StatusClosed)
		require.NoError(t, closed.AddComment(owner, "", false, t0, receipt), "a file from the owner reopens too")
		assert.Equal(t, domain.StatusOpen, closed.Status())
	})
}

// stored are the files of ticketIn's ticket as storage gives them back.
var stored = []domain.Attachment{
	{ID: 7, Name: "a.png", ContentType: "image/png", Size: 3, SHA256: "aa", ThumbSHA256: "ab", ByID: 1, At: t0},
	{ID: 8, CommentID: 3, Name: "b.txt", ContentType: "text/plain", Size: 1, SHA256: "bb", Internal: true, ByID: 3, At: t0},
}

func TestVisibleAttachments(t *testing.T) {
	tk := ticketIn(domain.StatusOpen).RehydrateAttachments(stored)

	assert.Equal(t, stored, tk.Attachments())
	assert.Equal(t, stored, tk.VisibleAttachments(staff))
	assert.Equal(t, stored[:1], tk.VisibleAttachments(owner), "no internal file for the owner")
	a, err := tk.Attachment(8)
	require.NoError(t, err)
	assert.Equal(t, stored[1], a)
	_, err = tk.Attachment(9)
	require.ErrorIs(t, err, domain.ErrAttachmentNotFound)

	tk.Attachments()[0].Name = "changed"
	tk.VisibleAttachments(owner)[0].Name = "changed"
	assert.Equal(t, "a.png", tk.Attachments()[0].Name, "the ticket keeps its files to itself")
}

func TestDeleteAttachment(t *testing.T) {
	t.Run("staff delete a file", func(t *testing.T) {
		tk := ticketIn(domain.StatusOpen).RehydrateAttachments(stored)

		require.NoError(t, tk.DeleteAttachment(staff, 7, t0.Add(time.Hour)))

		assert.Equal(t, stored[1:], tk.Attachments())
		deletion := domain.AttachmentDeletion{Attachment: stored[0], ByID: staff.ID(), ByName: staff.Username(), At: t0.Add(time.Hour)}
		assert.Equal(t, []domain.AttachmentDeletion{deletion}, tk.RemovedAttachments(), "for storage to delete")
		assert.Equal(t, []domain.AttachmentDeletion{deletion}, tk.DeletedAttachments(), "the history keeps a record")
		assert.Equal(t, t0.Add(time.Hour), tk.UpdatedAt())
		assert.Equal(t, []domain.Event{domain.AttachmentDeleted{TicketID: 10, OwnerID: owner.ID(), AttachmentID: 7,
			Name: "a.png", ByID: staff.ID(), ByName: staff.Username(), At: t0.Add(time.Hour)}}, tk.Events())
	})
	for _, by := range []*domain.User{owner, stranger} {
		t.Run(by.Username()+" may not", func(t *testing.T) {
			tk := ticketIn(domain.StatusOpen).RehydrateAttachments(stored)
			require.ErrorIs(t, tk.DeleteAttachment(by, 7, t0), domain.ErrForbidden)
			assert.Equal(t, stored, tk.Attachments())
			assert.Empty(t, tk.RemovedAttachments())
			assert.Empty(t, tk.Events())
		})
	}
	t.Run("an unknown file", func(t *testing.T) {
		tk := ticketIn(domain.StatusOpen).RehydrateAttachments(stored)
		require.ErrorIs(t, tk.DeleteAttachment(admin, 99, t0), domain.ErrAttachmentNotFound)
		assert.Empty(t, tk.Events())
	})
}

func TestDeletedAttachmentsTheReaderMaySee(t *testing.T) {
	earlier := []domain.AttachmentDeletion{{Attachment: domain.Attachment{ID: 5, Name: "old.txt", Internal: true},
		ByID: staff.ID(), ByName: staff.Username(), At: t0}}
	tk := ticketIn(domain.StatusOpen).RehydrateAttachments(stored, earlier...)
	require.NoError(t, tk.DeleteAttachment(staff, 7, t0.Add(time.Hour)))

	all := tk.DeletedAttachments()
	require.Len(t, all, 2)
	assert.Equal(t, earlier[0], all[0], "the stored records first")
	assert.Equal(t, int64(7), all[1].Attachment.ID)
	assert.Equal(t, all, tk.VisibleDeletedAttachments(staff))
	assert.Equal(t, all[1:], tk.VisibleDeletedAttachments(owner), "no internal file's record for the owner")
	assert.Equal(t, all[1:], tk.RemovedAttachments(), "only the new deletion is for storage to make")

	tk.DeletedAttachments()[0].ByName = "changed"
	assert.Equal(t, staff.Username(), tk.DeletedAttachments()[0].ByName)
}

func TestAttachmentEventsRoundTrip(t *testing.T) {
	e := domain.AttachmentDeleted{TicketID: 10, OwnerID: 1, AttachmentID: 7, Name: "a.png", ByID: 3, ByName: "staff", At: t0}
	payload, err := domain.EncodeEvent(e)
	require.NoError(t, err)
	got, err := domain.DecodeEvent(domain.KindAttachmentDeleted, payload)
	require.NoError(t, err)
	assert.Equal(t, e, got)
	assert.Equal(t, "ticket:10", got.StreamKey())

	withFiles := domain.CommentAdded{TicketID: 10, Text: "", At: t0,
		Attachments: []domain.AttachmentInfo{{Name: "a.png", ContentType: "image/png", Size: 3, SHA256: "aa"}}}
	payload, err = domain.EncodeEvent(withFiles)
	require.NoError(t, err)
	assert.Contains(t, string(payload), `"attachments":[{"name":"a.png","content_type":"image/png","size":3,"sha256":"aa"}]`)
	got, err = domain.DecodeEvent(domain.KindCommentAdded, payload)
	require.NoError(t, err)
	assert.Equal(t, withFiles, got)
}
