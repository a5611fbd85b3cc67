package telegram_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/telegram"
	"crm/application"
	"crm/domain"
	"crm/test/fakebotapi"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))))
	return b.Bytes()
}

// received sends m to the bot and returns the message as the bot gets it.
func received(t *testing.T, srv *fakebotapi.Server, c *telegram.Client, m fakebotapi.Media) *tgbotapi.Message {
	t.Helper()
	srv.SendMedia(1001, "alice", m)
	us, err := c.GetUpdates(context.Background(), 0, 0)
	require.NoError(t, err)
	require.NotEmpty(t, us)
	return us[len(us)-1].Message
}

func TestFetchBotFileDownloadsAndInspectsTheFile(t *testing.T) {
	srv := fakebotapi.New(t)
	c, err := telegram.NewClient(telegram.Config{Token: srv.Token(), APIURL: srv.URL()})
	require.NoError(t, err)
	large := pngBytes(t, 90, 60)
	m := received(t, srv, c, fakebotapi.Media{Photo: [][]byte{pngBytes(t, 9, 6), large}})
	photo := m.Photo[len(m.Photo)-1]

	up, err := c.FetchBotFile(context.Background(), application.BotFile{ID: photo.FileID, Size: int64(photo.FileSize)}, 1<<20)

	require.NoError(t, err)
	assert.Equal(t, large, up.Content)
	assert.Equal(t, "image/png", up.ContentType)
	assert.Equal(t, "photo.png", up.Name, "a photo is named after its type")
	assert.NotEmpty(t, up.Thumbnail)
	assert.Equal(t, 1, srv.Downloads())
}

func TestFetchBotFileRefusals(t *testing.T) {
	tests := []struct {
		name  string
		media fakebotapi.Media
		max   int64
		check func(t *testing.T, err error)
	}{
		{"a type the desk does not keep", fakebotapi.Media{Document: []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), DocumentName: "setup.exe"}, 1 << 20,
			func(t *testing.T, err error) {
				ves, ok := domain.AsValidation(err)
				require.True(t, ok, "%v", err)
				assert.Equal(t, "files", ves[0].Field)
			}},
		{"larger than the limit, as Telegram says", fakebotapi.Media{Document: bytes.Repeat([]byte("a"), 2000), DocumentName: "a.txt"}, 1000,
			func(t *testing.T, err error) { assert.ErrorIs(t, err, application.ErrBotFileTooLarge) }},
		{"larger than Telegram said: the read stops at the limit", fakebotapi.Media{Document: bytes.Repeat([]byte("a"), 64<<10),
			DocumentName: "a.txt", ReportedSize: 10}, 1000,
			func(t *testing.T, err error) { assert.ErrorIs(t, err, application.ErrBotFileTooLarge) }},
		{"over the Bot API's 20 MB, of a size Telegram did not tell", fakebotapi.Media{Document: make([]byte, 21<<20),
			DocumentName: "big.bin", ReportedSize: 1}, application.BotFileMaxBytes,
			func(t *testing.T, err error) { assert.ErrorIs(t, err, application.ErrBotFileTooLarge) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakebotapi.New(t)
			c, err := telegram.NewClient(telegram.Config{Token: srv.Token(), APIURL: srv.URL()})
			require.NoError(t, err)
			m := received(t, srv, c, tt.media)

			_, err = c.FetchBotFile(context.Background(), application.BotFile{ID: m.Document.FileID, Name: m.Document.FileName}, tt.max)

			require.Error(t, err)
			tt.check(t, err)
			assert.NotContains(t, err.Error(), srv.Token())
		})
	}
}

func TestFetchBotFileOfAnUnknownFileFailsWithoutTheToken(t *testing.T) {
	srv := fakebotapi.New(t)
	c, err := telegram.NewClient(telegram.Config{Token: srv.Token(), APIURL: srv.URL()})
	require.NoError(t, err)

	_, err = c.FetchBotFile(context.Background(), application.BotFile{ID: "nope"}, 1<<20)

	require.Error(t, err)
	assert.False(t, strings.Contains(err.Error(), srv.Token()))
	assert.Equal(t, 0, srv.Downloads())
}
