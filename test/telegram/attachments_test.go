package telegram_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/upload"
	"crm/application"
	"crm/domain"
)

func TestAStaffCommentWithAPhotoReachesTheChatAsAPhoto(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{})
	staff := sc.user("staff_user", domain.RoleStaff)
	alice := sc.linkedUser("alice", 1001)
	tk := sc.ticket(alice, "Cracked watch")

	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 40, 30))))
	photo, err := upload.Inspect("repaired.png", b.Bytes())
	require.NoError(t, err)
	note, err := upload.Inspect("invoice.txt", []byte("internal price list"))
	require.NoError(t, err)

	// An internal note's file never goes; the staff comment's photo does,
	// with the comment as its caption.
	require.NoError(t, p.comment.Handle(context.Background(), application.AddComment{
		Actor: staff, TicketID: tk.ID(), Text: "our costs", Internal: true, Files: []domain.Upload{note}}))
	require.NoError(t, p.comment.Handle(context.Background(), application.AddComment{
		Actor: staff, TicketID: tk.ID(), Text: "Here it is, repaired.", Files: []domain.Upload{photo}}))
	p.dispatcher.Wake()

	files := sc.srv.WaitForSentFiles(t, 1, wait)
	sc.settled(2) // the note skipped, the comment sent
	require.Len(t, files, 1)
	assert.Equal(t, "sendPhoto", files[0].Method)
	assert.Equal(t, int64(1001), files[0].ChatID)
	assert.Equal(t, b.Bytes(), files[0].Content)
	assert.Equal(t, "repaired.png", files[0].FileName)
	assert.Contains(t, files[0].Caption, "Here it is, repaired.")
	assert.Empty(t, sc.srv.Sent(), "the text went as the caption, not as a message of its own")
}
