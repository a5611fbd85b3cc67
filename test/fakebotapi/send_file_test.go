package fakebotapi_test

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/fakebotapi"
)

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))))
	return b.Bytes()
}

func TestSendPhotoAndDocumentAreRecordedWithTheirBytes(t *testing.T) {
	srv := fakebotapi.New(t, fakebotapi.WithLimits(0, 0))
	bot := newBot(t, srv)
	img := pngBytes(t)

	photo := tgbotapi.NewPhoto(42, tgbotapi.FileBytes{Name: "screen.png", Bytes: img})
	photo.Caption = "The cracked screen"
	msg, err := bot.Send(photo)
	require.NoError(t, err)
	require.NotEmpty(t, msg.Photo, "the answer is a message with a photo")

	doc := tgbotapi.NewDocument(42, tgbotapi.FileReader{Name: "receipt.pdf", Reader: strings.NewReader("%PDF-1.4")})
	msg, err = bot.Send(doc)
	require.NoError(t, err)
	require.NotNil(t, msg.Document)
	assert.Equal(t, "receipt.pdf", msg.Document.FileName)

	files := srv.SentFiles()
	require.Len(t, files, 2)
	assert.Equal(t, fakebotapi.SentFile{MessageID: files[0].MessageID, Method: "sendPhoto", ChatID: 42,
		Caption: "The cracked screen", FileName: "screen.png", Content: img, At: files[0].At}, files[0])
	assert.Equal(t, "sendDocument", files[1].Method)
	assert.Equal(t, []byte("%PDF-1.4"), files[1].Content)
}

func TestSendPhotoRefusesWhatTelegramRefuses(t *testing.T) {
	srv := fakebotapi.New(t, fakebotapi.WithLimits(0, 0))
	bot := newBot(t, srv)

	notImage := tgbotapi.NewPhoto(42, tgbotapi.FileBytes{Name: "a.png", Bytes: []byte("<html>")})
	// The library drops the error code of uploads; the description stays.
	_, err := bot.Send(notImage)
	assert.Equal(t, "Bad Request: IMAGE_PROCESS_FAILED", apiError(t, err).Message)

	long := tgbotapi.NewPhoto(42, tgbotapi.FileBytes{Name: "a.png", Bytes: pngBytes(t)})
	long.Caption = strings.Repeat("я", 1025)
	_, err = bot.Send(long)
	assert.Contains(t, apiError(t, err).Message, "caption is too long")

	srv.BlockChat(42)
	_, err = bot.Send(tgbotapi.NewDocument(42, tgbotapi.FileBytes{Name: "a.txt", Bytes: []byte("x")}))
	assert.Contains(t, apiError(t, err).Message, "blocked")
	assert.Empty(t, srv.SentFiles())
}
