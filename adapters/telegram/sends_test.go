package telegram_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/telegram"
	"crm/test/fakebotapi"
)

// sendCounts is a SendRecorder that counts results.
type sendCounts struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *sendCounts) CountTelegramSend(result string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[result]++
}

func (c *sendCounts) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

func TestSendTextTellsTheRecorderHowEachSendEnded(t *testing.T) {
	srv := fakebotapi.New(t)
	rec := &sendCounts{}
	c := newClient(t, srv, telegram.Config{Sends: rec})

	srv.SetDown(true)
	require.Error(t, c.SendText(t.Context(), 1, "getMe fails"))
	srv.SetDown(false)
	require.NoError(t, c.SendText(t.Context(), 1, "hello"))
	require.NoError(t, c.SendText(t.Context(), 2, "hello"))
	srv.BlockChat(3)
	require.Error(t, c.SendText(t.Context(), 3, "blocked"))
	srv.FailNext("sendMessage", 1, fakebotapi.BadRequest("chat not found"))
	require.Error(t, c.SendText(t.Context(), 4, "rejected"))
	srv.FailNext("sendMessage", 1, fakebotapi.Status500())
	require.Error(t, c.SendText(t.Context(), 5, "server error"))
	srv.FailNext("sendMessage", 1, fakebotapi.TooManyRequests(1))
	require.Error(t, c.SendText(t.Context(), 6, "too many"))

	assert.Equal(t, map[string]int{
		telegram.SendOK: 2, telegram.SendBlocked: 1, telegram.SendRejected: 1,
		telegram.SendRateLimited: 1, telegram.SendError: 2,
	}, rec.counts())
}

func TestSendTextCancelledBeforeSendingIsNotCounted(t *testing.T) {
	srv := fakebotapi.New(t)
	rec := &sendCounts{}
	c := newClient(t, srv, telegram.Config{Sends: rec})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.Error(t, c.SendText(ctx, 1, "never sent"))
	assert.Empty(t, rec.counts())
	assert.Zero(t, srv.Requests("sendMessage"))
}
