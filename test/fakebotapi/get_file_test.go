package fakebotapi_test

import (
	"io"
	"net/http"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/fakebotapi"
)

func TestSentMediaIsFetchedByGetFileAndDownloaded(t *testing.T) {
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)
	small, large := []byte("small"), pngBytes(t)
	srv.SendMedia(42, "alice", fakebotapi.Media{Caption: "look", ReplyTo: 7, Photo: [][]byte{small, large}})
	srv.SendMedia(42, "alice", fakebotapi.Media{Sticker: true})

	us, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	require.NoError(t, err)
	require.Len(t, us, 2)
	m := us[0].Message
	assert.Equal(t, "look", m.Caption)
	require.NotNil(t, m.ReplyToMessage)
	assert.Equal(t, 7, m.ReplyToMessage.MessageID)
	require.Len(t, m.Photo, 2)
	assert.NotNil(t, us[1].Message.Sticker)

	f, err := bot.GetFile(tgbotapi.FileConfig{FileID: m.Photo[1].FileID})
	require.NoError(t, err)
	assert.Equal(t, len(large), f.FileSize)
	get := func(url string) (int, []byte) {
		resp, err := http.Get(url)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, b
	}
	status, body := get(srv.URL() + "/file/bot" + srv.Token() + "/" + f.FilePath)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, large, body)
	assert.Equal(t, 1, srv.Downloads())

	status, _ = get(srv.URL() + "/file/botwrong:token/" + f.FilePath)
	assert.Equal(t, http.StatusNotFound, status, "another token")
	_, err = bot.GetFile(tgbotapi.FileConfig{FileID: "unknown"})
	assert.ErrorContains(t, err, "invalid file_id")
}
