package telegram_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/telegram"
	"crm/application"
	"crm/domain"
	"crm/test/fakebotapi"
)

// files is the Files port over a map, by hash.
type files map[string][]byte

func (f files) Open(_ context.Context, sha string) (io.ReadCloser, error) {
	b, ok := f[sha]
	if !ok {
		return nil, application.ErrFileNotFound
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (f files) Size(_ context.Context, sha string) (int64, error) {
	b, ok := f[sha]
	if !ok {
		return 0, application.ErrFileNotFound
	}
	return int64(len(b)), nil
}

func (f files) Exists(_ context.Context, sha string) (bool, error) {
	_, ok := f[sha]
	return ok, nil
}

// add keeps content and returns what an event says of it.
func (f files) add(name, contentType string, content []byte) domain.AttachmentInfo {
	sum := sha256.Sum256(content)
	h := hex.EncodeToString(sum[:])
	f[h] = content
	return domain.AttachmentInfo{Name: name, ContentType: contentType, Size: int64(len(content)), SHA256: h}
}

func pngPicture(t *testing.T) []byte {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 6, 4))))
	return b.Bytes()
}

func comment(text string) application.Notification {
	return application.Notification{Kind: application.NotifyCommentAdded, TicketID: 7, Title: "Watch",
		Author: "staff_anna", Text: text}
}

func TestNotifyFilesSendsAPhotoWithTheCommentAsCaptionAndDocuments(t *testing.T) {
	srv := fakebotapi.New(t, fakebotapi.WithLimits(0, 0))
	store := files{}
	img := pngPicture(t)
	atts := []domain.AttachmentInfo{store.add("screen.png", "image/png", img), store.add("bill.pdf", "application/pdf", []byte("%PDF-1.4"))}
	n := telegram.NewNotifier(newClient(t, srv, telegram.Config{ChatInterval: 1})).WithFiles(store)

	require.NoError(t, n.NotifyFiles(context.Background(), 42, comment("Here is the screen."), atts))
	sent := srv.SentFiles()
	require.Len(t, sent, 2)
	assert.Equal(t, "sendPhoto", sent[0].Method)
	assert.Equal(t, img, sent[0].Content)
	assert.Equal(t, "screen.png", sent[0].FileName)
	assert.Equal(t, telegram.NotificationText(comment("Here is the screen.")), sent[0].Caption)
	assert.Equal(t, "sendDocument", sent[1].Method)
	assert.Equal(t, "bill.pdf", sent[1].FileName)
	assert.Empty(t, sent[1].Caption, "the text goes once")
	assert.Empty(t, srv.Sent(), "no separate text message")
}

func TestNotifyFilesCutsALongCaptionAndSendsTheRestAsText(t *testing.T) {
	srv := fakebotapi.New(t, fakebotapi.WithLimits(0, 0))
	store := files{}
	att := store.add("a.png", "image/png", pngPicture(t))
	n := telegram.NewNotifier(newClient(t, srv, telegram.Config{ChatInterval: 1})).WithFiles(store)
	long := strings.Repeat("слово ", 400) // 2,400 characters

	require.NoError(t, n.NotifyFiles(context.Background(), 42, comment(long), []domain.AttachmentInfo{att}))
	sent := srv.SentFiles()
	require.Len(t, sent, 1)
	assert.LessOrEqual(t, len([]rune(sent[0].Caption)), 1024)
	msgs := srv.Sent()
	require.Len(t, msgs, 1, "the rest of the text follows")
	whole := telegram.NotificationText(comment(long))
	assert.Equal(t, strings.Join(strings.Fields(whole), " "), strings.Join(strings.Fields(sent[0].Caption+" "+msgs[0].Text), " "),
		"caption and message together are the whole text")
}

func TestNotifyFilesFallsBackToTextAndDocuments(t *testing.T) {
	srv := fakebotapi.New(t, fakebotapi.WithLimits(0, 0))
	store := files{}
	notImage := store.add("fake.png", "image/png", []byte("not really a picture"))
	gone := domain.AttachmentInfo{Name: "gone.png", ContentType: "image/png", Size: 3, SHA256: strings.Repeat("0", 64)}
	n := telegram.NewNotifier(newClient(t, srv, telegram.Config{ChatInterval: 1})).WithFiles(store)

	require.NoError(t, n.NotifyFiles(context.Background(), 42, comment("see"), []domain.AttachmentInfo{gone, notImage}))
	sent := srv.SentFiles()
	require.Len(t, sent, 1, "the deleted file is skipped; the refused photo goes as a document")
	assert.Equal(t, "sendDocument", sent[0].Method)
	assert.NotEmpty(t, sent[0].Caption)

	require.NoError(t, n.NotifyFiles(context.Background(), 43, comment("only gone"), []domain.AttachmentInfo{gone}))
	require.Len(t, srv.SentTo(43), 1, "with no file left, the text goes alone")

	srv.BlockChat(44)
	err := n.NotifyFiles(context.Background(), 44, comment("blocked"), []domain.AttachmentInfo{notImage})
	assert.ErrorIs(t, err, application.ErrChatBlocked)
}
