package telegram_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/telegram"
	"crm/application"
	"crm/test/fakebotapi"
)

// startPoller polls the fake for b; it is stopped on cleanup.
func startPoller(t *testing.T, b *bot, cfg telegram.PollerConfig) *telegram.Poller {
	t.Helper()
	if cfg.BackoffMin == 0 {
		cfg.BackoffMin, cfg.BackoffMax = 10*time.Millisecond, 50*time.Millisecond
	}
	p := telegram.NewPoller(b.client, b.updates, application.LocalPollLock{}, quiet(), cfg)
	require.NoError(t, p.Start(t.Context()))
	t.Cleanup(func() { require.NoError(t, p.Stop(context.Background())) })
	return p
}

func TestPollerLinksByStart(t *testing.T) {
	b := newBot(t)
	startPoller(t, b, telegram.PollerConfig{})
	u, token := b.token("alice")

	b.srv.SendText(501, "alice", "/start "+token)
	sent := b.srv.WaitForSent(t, 1, waitLimit)
	assert.Equal(t, int64(501), sent[0].ChatID)
	assert.Contains(t, sent[0].Text, "linked to the account alice")
	assert.Equal(t, int64(501), b.chatOf(u))

	b.srv.SendText(502, "mallory", "/start "+token)
	sent = b.srv.WaitForSent(t, 2, waitLimit)
	assert.Contains(t, sent[1].Text, "already used")
	assert.Equal(t, int64(501), b.chatOf(u), "a replayed token links nothing")

	b.srv.SendText(501, "alice", "/stop")
	sent = b.srv.WaitForSent(t, 3, waitLimit)
	assert.Contains(t, sent[2].Text, "no longer linked")
	assert.Zero(t, b.chatOf(u))
}

func TestPollerIgnoresWhatIsNotAMessage(t *testing.T) {
	b := newBot(t)
	startPoller(t, b, telegram.PollerConfig{})
	b.srv.PushRaw(json.RawMessage(`{"callback_query": {"id": "1", "data": "x"}}`))
	b.srv.PushRaw(json.RawMessage(`{"message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "sticker": {}}}`))
	b.srv.PushRaw(json.RawMessage(`{"message": "not an object"}`))
	b.srv.SendText(5, "bob", "hello, bot")
	sent := b.srv.WaitForSent(t, 1, waitLimit)
	assert.Contains(t, sent[0].Text, "/help", "anything else gets the help")
	assert.NotContains(t, sent[0].Text, "hello, bot", "no echo")
	b.srv.WaitUntil(t, waitLimit, "every update confirmed", func() bool { return b.srv.PendingUpdates() == 0 })
	assert.Len(t, b.srv.Sent(), 1)
}

func TestPollerDeletesTheWebhookFirst(t *testing.T) {
	b := newBot(t)
	require.NoError(t, b.client.SetWebhook(t.Context(), "https://old.example/telegram/webhook", "x"))
	startPoller(t, b, telegram.PollerConfig{})
	b.srv.SendText(5, "bob", "/help")
	b.srv.WaitForSent(t, 1, waitLimit)
	url, _ := b.srv.Webhook()
	assert.Empty(t, url)
	assert.Zero(t, b.srv.Conflicts())
}

func TestPollerRecoversFromErrors(t *testing.T) {
	b := newBot(t)
	b.srv.FailNext("getUpdates", 1, fakebotapi.Failure{StatusCode: http.StatusConflict,
		Description: "Conflict: terminated by other getUpdates request"})
	b.srv.FailNext("getUpdates", 1, fakebotapi.Status500())
	b.srv.FailNext("getUpdates", 1, fakebotapi.TooManyRequests(1))
	start := time.Now()
	startPoller(t, b, telegram.PollerConfig{ConflictWait: 300 * time.Millisecond})
	b.srv.SendText(5, "bob", "/help")
	b.srv.WaitForSent(t, 1, waitLimit)
	assert.GreaterOrEqual(t, time.Since(start), 1300*time.Millisecond, "a 409 waits ConflictWait, a 429 its retry_after")
	assert.GreaterOrEqual(t, b.srv.Requests("getUpdates"), 4, "three failures, then the poll that got the message")
}

func TestPollerStopsPromptly(t *testing.T) {
	b := newBot(t)
	p := telegram.NewPoller(b.client, b.updates, application.LocalPollLock{}, quiet(), telegram.PollerConfig{PollTimeout: time.Minute})
	require.NoError(t, p.Start(t.Context()))
	b.srv.WaitUntil(t, waitLimit, "a long poll under way", func() bool { return b.srv.ActivePolls() == 1 })

	b.srv.SendText(5, "bob", "/help")
	b.srv.WaitForSent(t, 1, waitLimit)
	b.srv.WaitUntil(t, waitLimit, "polling again", func() bool { return b.srv.ActivePolls() == 1 })

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	require.NoError(t, p.Stop(ctx))
	assert.Less(t, time.Since(start), time.Second, "the one-minute poll is cancelled")
	assert.Zero(t, b.srv.PendingUpdates(), "the handled update is confirmed")
	b.srv.WaitUntil(t, waitLimit, "the fake saw the poll end", func() bool { return b.srv.ActivePolls() == 0 })
}
