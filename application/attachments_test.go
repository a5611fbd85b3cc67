package application_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// upload is a file as an edge prepares it, with a thumbnail when thumb is
// not "".
func upload(name, contentType, content, thumb string) domain.Upload {
	u := domain.Upload{Name: name, ContentType: contentType, Content: []byte(content), SHA256: hashOf(content)}
	if thumb != "" {
		u.Thumbnail, u.ThumbSHA256 = []byte(thumb), hashOf(thumb)
	}
	return u
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestSubmitTicketWithFiles(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	photo := upload("photo.png", "image/png", "png bytes", "thumb")

	tk, err := e.SubmitTicket.Handle(e.ctx, application.SubmitTicket{Actor: owner, Title: "Экран", Text: "Треснул",
		Type: "repair", Files: []domain.Upload{photo}})

	require.NoError(t, err)
	atts := e.stored(t, tk.ID()).Attachments()
	require.Len(t, atts, 1)
	assert.Equal(t, "photo.png", atts[0].Name)
	assert.Zero(t, atts[0].CommentID)
}

func TestFilesOverTheLimits(t *testing.T) {
	small := upload("a.txt", "text/plain", "a", "")
	big := upload("big.txt", "text/plain", string(bytes.Repeat([]byte("x"), int(testLimits.MaxBytes)+1)), "")
	tooMany := domain.ValidationError{Field: "files", Code: domain.CodeTooMany}
	tooLarge := domain.ValidationError{Field: "files", Code: domain.CodeTooLarge}
	tests := []struct {
		name  string
		files []domain.Upload
		want  domain.ValidationError
	}{
		{"one file too many", []domain.Upload{small, small, small, small}, tooMany},
		{"one byte too many", []domain.Upload{small, big}, tooLarge},
		{"too large and of a wrong type: the size is what is said", []domain.Upload{
			upload("big.html", "text/html", string(big.Content), "")}, tooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			owner := e.user(t, "owner", domain.RoleUser)
			tk := e.ticket(t, owner, "Пропал звук")

			_, err := e.SubmitTicket.Handle(e.ctx, application.SubmitTicket{Actor: owner, Title: "", Text: "text",
				Type: "repair", Files: tc.files})
			requireValidation(t, err, tc.want, domain.ValidationError{Field: "title", Code: domain.CodeRequired})

			err = e.AddComment.Handle(e.ctx, application.AddComment{Actor: owner, TicketID: tk.ID(), Text: "see", Files: tc.files})
			requireValidation(t, err, tc.want)

			page, err := e.store.Tickets.Search(e.ctx, application.TicketFilter{})
			require.NoError(t, err)
			assert.Equal(t, 1, page.Total, "no ticket is stored")
			assert.Empty(t, e.stored(t, tk.ID()).Comments(), "no comment is stored")
		})
	}

	t.Run("at the limits", func(t *testing.T) {
		e := newEnv(t)
		owner := e.user(t, "owner", domain.RoleUser)
		tk := e.ticket(t, owner, "Пропал звук")
		limit := upload("limit.txt", "text/plain", string(big.Content[1:]), "")
		err := e.AddComment.Handle(e.ctx, application.AddComment{Actor: owner, TicketID: tk.ID(),
			Files: []domain.Upload{small, small, limit}})
		require.NoError(t, err)
		assert.Len(t, e.stored(t, tk.ID()).Attachments(), 3)
	})
}

// fileScene is a ticket of owner with a file on it and a file on an
// internal note.
type fileScene struct {
	*env
	owner, stranger, staff *domain.User
	ticket                 *domain.Ticket
	public, internal       domain.Attachment
}

func newFileScene(t *testing.T) fileScene {
	e := newEnv(t)
	sc := fileScene{env: e, owner: e.user(t, "owner", domain.RoleUser), stranger: e.user(t, "stranger", domain.RoleUser),
		staff: e.user(t, "staff", domain.RoleStaff)}
	tk, err := e.SubmitTicket.Handle(e.ctx, application.SubmitTicket{Actor: sc.owner, Title: "Экран", Text: "Треснул",
		Type: "repair", Files: []domain.Upload{upload("photo.png", "image/png", "png bytes", "thumb bytes")}})
	require.NoError(t, err)
	require.NoError(t, e.AddComment.Handle(e.ctx, application.AddComment{Actor: sc.staff, TicketID: tk.ID(),
		Internal: true, Files: []domain.Upload{upload("note.pdf", "application/pdf", "%PDF note", "")}}))
	sc.ticket = e.stored(t, tk.ID())
	atts := sc.ticket.Attachments()
	require.Len(t, atts, 2)
	sc.public, sc.internal = atts[0], atts[1]
	return sc
}

// get reads attachment id as actor, and its content.
func (sc fileScene) get(t *testing.T, actor *domain.User, id int64, thumbnail bool) (domain.Attachment, string, error) {
	t.Helper()
	a, r, err := sc.GetAttachment.Handle(sc.ctx, application.GetAttachment{Actor: actor, ID: id, Thumbnail: thumbnail})
	if err != nil {
		assert.Nil(t, r)
		return a, "", err
	}
	defer func() { require.NoError(t, r.Close()) }()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return a, string(b), nil
}

func TestGetAttachment(t *testing.T) {
	sc := newFileScene(t)

	for _, reader := range []*domain.User{sc.owner, sc.staff} {
		a, content, err := sc.get(t, reader, sc.public.ID, false)
		require.NoError(t, err, reader.Username())
		assert.Equal(t, sc.public, a)
		assert.Equal(t, "png bytes", content)
	}

	thumb, content, err := sc.get(t, sc.owner, sc.public.ID, true)
	require.NoError(t, err)
	assert.Equal(t, "thumb bytes", content)
	assert.Equal(t, "image/jpeg", thumb.ContentType)
	assert.Equal(t, int64(len("thumb bytes")), thumb.Size)
	assert.Equal(t, hashOf("thumb bytes"), thumb.SHA256, "the thumbnail's own hash, for its ETag")
	assert.Equal(t, "photo.png", thumb.Name)

	_, content, err = sc.get(t, sc.staff, sc.internal.ID, false)
	require.NoError(t, err)
	assert.Equal(t, "%PDF note", content)

	for _, tc := range []struct {
		name      string
		actor     *domain.User
		id        int64
		thumbnail bool
	}{
		{"a stranger", sc.stranger, sc.public.ID, false},
		{"a stranger's thumbnail", sc.stranger, sc.public.ID, true},
		{"the owner, an internal note's file", sc.owner, sc.internal.ID, false},
		{"an unknown id", sc.staff, 999, false},
		{"a file without thumbnail", sc.staff, sc.internal.ID, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := sc.get(t, tc.actor, tc.id, tc.thumbnail)
			require.ErrorIs(t, err, domain.ErrAttachmentNotFound)
		})
	}
}

func TestDeleteAttachment(t *testing.T) {
	for _, tc := range []struct {
		name     string
		actor    func(fileScene) *domain.User
		internal bool
		want     error
	}{
		{"the owner", func(sc fileScene) *domain.User { return sc.owner }, false, domain.ErrForbidden},
		{"the owner, an internal note's file", func(sc fileScene) *domain.User { return sc.owner }, true, domain.ErrAttachmentNotFound},
		{"a stranger", func(sc fileScene) *domain.User { return sc.stranger }, false, domain.ErrAttachmentNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := newFileScene(t)
			id := sc.public.ID
			if tc.internal {
				id = sc.internal.ID
			}
			err := sc.DeleteAttachment.Handle(sc.ctx, application.DeleteAttachment{Actor: tc.actor(sc), ID: id})
			require.ErrorIs(t, err, tc.want)
			assert.Len(t, sc.stored(t, sc.ticket.ID()).Attachments(), 2, "nothing is deleted")
			assert.Empty(t, sc.events(t, domain.KindAttachmentDeleted))
		})
	}

	t.Run("staff delete a file, which the audit log lists", func(t *testing.T) {
		sc := newFileScene(t)
		admin := sc.user(t, "admin", domain.RoleAdmin)

		require.NoError(t, sc.DeleteAttachment.Handle(sc.ctx, application.DeleteAttachment{Actor: sc.staff, ID: sc.public.ID}))

		assert.Equal(t, []domain.Attachment{sc.internal}, sc.stored(t, sc.ticket.ID()).Attachments())
		v, err := sc.GetTicket.Handle(sc.ctx, application.GetTicket{Actor: sc.owner, ID: sc.ticket.ID()})
		require.NoError(t, err)
		require.Len(t, v.DeletedAttachments, 1, "the owner sees in the history that the file was deleted")
		assert.Equal(t, "photo.png", v.DeletedAttachments[0].Attachment.Name)
		assert.Equal(t, "staff", v.DeletedAttachments[0].ByName)
		_, _, err = sc.get(t, sc.owner, sc.public.ID, false)
		require.ErrorIs(t, err, domain.ErrAttachmentNotFound)
		exists, err := sc.store.Files.Exists(sc.ctx, sc.public.SHA256)
		require.NoError(t, err)
		assert.False(t, exists, "the content goes with its last file")
		log, err := sc.ListAuditLog.Handle(sc.ctx, application.ListAuditLog{Actor: admin})
		require.NoError(t, err)
		require.NotEmpty(t, log)
		assert.Equal(t, domain.AttachmentDeleted{TicketID: sc.ticket.ID(), OwnerID: sc.owner.ID(),
			AttachmentID: sc.public.ID, Name: "photo.png", ByID: sc.staff.ID(), ByName: "staff", At: t0}, log[0].Event)

		err = sc.DeleteAttachment.Handle(sc.ctx, application.DeleteAttachment{Actor: sc.staff, ID: sc.public.ID})
		require.ErrorIs(t, err, domain.ErrAttachmentNotFound, "deleted already")
	})
}

func TestGetTicketShowsTheFilesTheReaderMaySee(t *testing.T) {
	sc := newFileScene(t)

	v, err := sc.GetTicket.Handle(sc.ctx, application.GetTicket{Actor: sc.owner, ID: sc.ticket.ID()})
	require.NoError(t, err)
	assert.Equal(t, []domain.Attachment{sc.public}, v.Attachments)

	v, err = sc.GetTicket.Handle(sc.ctx, application.GetTicket{Actor: sc.staff, ID: sc.ticket.ID()})
	require.NoError(t, err)
	assert.Equal(t, []domain.Attachment{sc.public, sc.internal}, v.Attachments)
}
