package fakebotapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/fakebotapi"
)

const waitTimeout = 5 * time.Second

func newBot(t *testing.T, srv *fakebotapi.Server) *tgbotapi.BotAPI {
	t.Helper()
	bot, err := tgbotapi.NewBotAPIWithClient(srv.Token(), srv.Endpoint(), srv.Client())
	require.NoError(t, err)
	return bot
}

// apiError asserts err is a *tgbotapi.Error and returns it.
func apiError(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var tgErr *tgbotapi.Error
	require.ErrorAs(t, err, &tgErr)
	return tgErr
}

type pollResult struct {
	updates []tgbotapi.Update
	err     error
}

// pollAsync runs GetUpdates in a goroutine and returns the channel with its
// result.
func pollAsync(bot *tgbotapi.BotAPI, cfg tgbotapi.UpdateConfig) <-chan pollResult {
	ch := make(chan pollResult, 1)
	go func() {
		updates, err := bot.GetUpdates(cfg)
		ch <- pollResult{updates, err}
	}()
	return ch
}

func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitTimeout):
		require.FailNow(t, "timed out waiting for a result")
		panic("unreachable")
	}
}

func TestGetMe(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)

	bot := newBot(t, srv)

	assert.Equal(t, int64(123456), bot.Self.ID)
	assert.True(t, bot.Self.IsBot)
	assert.Equal(t, "crm_test_bot", bot.Self.UserName)
	assert.Equal(t, "crm_test_bot", srv.BotUsername())
	assert.Equal(t, srv.URL()+"/bot%s/%s", srv.Endpoint())
	assert.Equal(t, 1, srv.Requests("getMe"))
}

func TestOptionsTokenAndUsername(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t, fakebotapi.WithToken("777:SECRET"), fakebotapi.WithBotUsername("other_bot"))

	bot, err := tgbotapi.NewBotAPIWithClient("777:SECRET", srv.Endpoint(), srv.Client())
	require.NoError(t, err)
	assert.Equal(t, int64(777), bot.Self.ID)
	assert.Equal(t, "other_bot", bot.Self.UserName)

	_, err = tgbotapi.NewBotAPIWithClient(fakebotapi.DefaultToken, srv.Endpoint(), srv.Client())
	tgErr := apiError(t, err)
	assert.Equal(t, 401, tgErr.Code)
	assert.Equal(t, "Unauthorized", tgErr.Message)
	assert.Equal(t, 2, srv.Requests("getme"))
}

func TestSendMessageIsRecorded(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	msg := tgbotapi.NewMessage(42, "<b>hello</b>")
	msg.ParseMode = tgbotapi.ModeHTML
	msg.DisableWebPagePreview = true
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("ok", "ok")))
	first, err := bot.Send(msg)
	require.NoError(t, err)
	second, err := bot.Send(tgbotapi.NewMessage(43, "bye"))
	require.NoError(t, err)

	assert.Equal(t, int64(42), first.Chat.ID)
	assert.Equal(t, "private", first.Chat.Type)
	assert.Equal(t, "<b>hello</b>", first.Text)
	assert.Equal(t, bot.Self.ID, first.From.ID)
	assert.NotZero(t, first.Date)
	assert.Greater(t, second.MessageID, first.MessageID)

	sent := srv.Sent()
	require.Len(t, sent, 2)
	assert.Equal(t, int64(42), sent[0].ChatID)
	assert.Equal(t, "<b>hello</b>", sent[0].Text)
	assert.Equal(t, "HTML", sent[0].ParseMode)
	assert.True(t, sent[0].DisableWebPagePreview)
	assert.Contains(t, sent[0].ReplyMarkup, `"callback_data":"ok"`)
	assert.Equal(t, first.MessageID, sent[0].MessageID)
	assert.WithinDuration(t, time.Now(), sent[0].At, waitTimeout)

	to43 := srv.SentTo(43)
	require.Len(t, to43, 1)
	assert.Equal(t, "bye", to43[0].Text)
	assert.Empty(t, srv.SentTo(44))

	sent[0].Text = "mutated"
	assert.Equal(t, "<b>hello</b>", srv.Sent()[0].Text, "Sent must return a copy")
}

func TestSendMessageValidation(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	_, err := bot.Send(tgbotapi.NewMessage(1, ""))
	assert.Equal(t, "Bad Request: message text is empty", apiError(t, err).Message)

	_, err = bot.Send(tgbotapi.NewMessage(1, strings.Repeat("я", 4097)))
	assert.Equal(t, "Bad Request: message is too long", apiError(t, err).Message)

	_, err = bot.Send(tgbotapi.NewMessageToChannel("@nowhere", "hi"))
	assert.Equal(t, 400, apiError(t, err).Code)

	assert.Empty(t, srv.Sent())
	assert.Equal(t, 3, srv.Requests("sendMessage"))
}

func TestWaitForSent(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	go func() {
		for i := range 3 {
			_, _ = bot.Send(tgbotapi.NewMessage(int64(100+i), fmt.Sprint("msg ", i)))
		}
	}()

	sent := srv.WaitForSent(t, 3, waitTimeout)
	require.Len(t, sent, 3)
	assert.Equal(t, "msg 2", sent[2].Text)
}

// fakeTB records Fatalf instead of failing the real test.
type fakeTB struct {
	testing.TB
	mu     sync.Mutex
	failed string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.failed = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func TestWaitForSentFailsOnTimeout(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)
	_, err := bot.Send(tgbotapi.NewMessage(5, "only one"))
	require.NoError(t, err)

	ftb := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.WaitForSent(ftb, 2, 50*time.Millisecond)
	}()
	receive(t, done)

	assert.Contains(t, ftb.failed, "waiting for 2 sent message(s); got 1")
	assert.Contains(t, ftb.failed, `chat 5: "only one"`)
}

func TestInjectedTooManyRequests(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)
	srv.FailNext("sendMessage", 1, fakebotapi.TooManyRequests(7))

	_, err := bot.Send(tgbotapi.NewMessage(1, "first try"))
	tgErr := apiError(t, err)
	assert.Equal(t, 429, tgErr.Code)
	assert.Equal(t, 7, tgErr.RetryAfter)
	assert.Equal(t, "Too Many Requests: retry after 7", tgErr.Message)

	_, err = bot.Send(tgbotapi.NewMessage(1, "second try"))
	require.NoError(t, err)

	sent := srv.Sent()
	require.Len(t, sent, 1)
	assert.Equal(t, "second try", sent[0].Text)
	assert.Zero(t, srv.Count429(), "injected failures are not the server's own limits")
}

func TestInjectedFailures(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)
	srv.FailNext("sendmessage", 2, fakebotapi.Status500())
	srv.FailNext("sendMessage", 1, fakebotapi.Blocked())
	srv.FailNext("sendMessage", 1, fakebotapi.BadRequest("chat not found"))
	srv.FailNext("sendMessage", 1, fakebotapi.BadGateway())

	for _, want := range []struct {
		code int
		desc string
	}{
		{500, "Internal Server Error"},
		{500, "Internal Server Error"},
		{403, "Forbidden: bot was blocked by the user"},
		{400, "Bad Request: chat not found"},
	} {
		_, err := bot.Send(tgbotapi.NewMessage(9, "x"))
		tgErr := apiError(t, err)
		assert.Equal(t, want.code, tgErr.Code)
		assert.Equal(t, want.desc, tgErr.Message)
	}
	_, err := bot.Send(tgbotapi.NewMessage(9, "x"))
	require.Error(t, err)
	var tgErr *tgbotapi.Error
	assert.False(t, errors.As(err, &tgErr), "502 has an HTML body, not an API error: %v", err)

	_, err = bot.Send(tgbotapi.NewMessage(9, "x"))
	require.NoError(t, err)
	assert.Len(t, srv.Sent(), 1)
	assert.Equal(t, 6, srv.Requests("sendMessage"))
}

func TestBlockChat(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t, fakebotapi.WithLimits(0, 0))
	bot := newBot(t, srv)
	srv.BlockChat(13)

	for range 2 {
		_, err := bot.Send(tgbotapi.NewMessage(13, "hi"))
		tgErr := apiError(t, err)
		assert.Equal(t, 403, tgErr.Code)
		assert.Equal(t, "Forbidden: bot was blocked by the user", tgErr.Message)
	}
	_, err := bot.Send(tgbotapi.NewMessage(14, "other chat"))
	require.NoError(t, err)

	srv.UnblockChat(13)
	_, err = bot.Send(tgbotapi.NewMessage(13, "hi again"))
	require.NoError(t, err)

	assert.Equal(t, []string{"hi again"}, texts(srv.SentTo(13)))
}

func texts(msgs []fakebotapi.SentMessage) []string {
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, m.Text)
	}
	return out
}

func TestGlobalRateLimit(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t) // 30 messages per second overall
	bot := newBot(t, srv)

	for i := range 30 {
		_, err := bot.Send(tgbotapi.NewMessage(int64(1000+i), "broadcast"))
		require.NoError(t, err, "message %d", i)
	}
	_, err := bot.Send(tgbotapi.NewMessage(2000, "one too many"))
	sent := srv.Sent()
	require.Less(t, time.Since(sent[0].At), time.Second, "test machine too slow to exceed the limit")

	tgErr := apiError(t, err)
	assert.Equal(t, 429, tgErr.Code)
	assert.Equal(t, 1, tgErr.RetryAfter)
	assert.Equal(t, "Too Many Requests: retry after 1", tgErr.Message)
	assert.Equal(t, 1, srv.Count429())
	assert.Len(t, sent, 30)
	assert.Empty(t, srv.SentTo(2000))
}

func TestPerChatRateLimit(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t) // 1 message per second per chat
	bot := newBot(t, srv)

	_, err := bot.Send(tgbotapi.NewMessage(1, "first"))
	require.NoError(t, err)
	_, err = bot.Send(tgbotapi.NewMessage(1, "second"))
	tgErr := apiError(t, err)
	assert.Equal(t, 429, tgErr.Code)
	assert.Equal(t, 1, tgErr.RetryAfter)

	_, err = bot.Send(tgbotapi.NewMessage(2, "other chat is fine"))
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Count429())
	assert.Equal(t, []string{"first"}, texts(srv.SentTo(1)))
}

func TestPerChatIntervalIsSlidingWindow(t *testing.T) {
	t.Parallel()
	const interval = 150 * time.Millisecond
	srv := fakebotapi.New(t, fakebotapi.WithLimits(100, 2), fakebotapi.WithChatInterval(interval))
	bot := newBot(t, srv)

	for _, text := range []string{"a", "b"} {
		_, err := bot.Send(tgbotapi.NewMessage(1, text))
		require.NoError(t, err)
	}
	_, err := bot.Send(tgbotapi.NewMessage(1, "c"))
	assert.Equal(t, 429, apiError(t, err).Code)

	// The window itself is what is under test: let it pass.
	time.Sleep(time.Until(srv.Sent()[0].At.Add(interval)))

	_, err = bot.Send(tgbotapi.NewMessage(1, "c"))
	require.NoError(t, err)
	sent := srv.SentTo(1)
	require.Equal(t, []string{"a", "b", "c"}, texts(sent))
	assert.GreaterOrEqual(t, sent[2].At.Sub(sent[0].At), interval)
	assert.Equal(t, 1, srv.Count429())
}

func TestGetUpdatesLongPoll(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	result := pollAsync(bot, tgbotapi.UpdateConfig{Timeout: 30})
	srv.WaitUntil(t, waitTimeout, "the bot is long polling", func() bool { return srv.ActivePolls() == 1 })

	id := srv.SendText(77, "alice", "/start promo")

	res := receive(t, result)
	require.NoError(t, res.err)
	require.Len(t, res.updates, 1)
	u := res.updates[0]
	assert.Equal(t, id, u.UpdateID)
	require.NotNil(t, u.Message)
	assert.Equal(t, "/start promo", u.Message.Text)
	assert.Equal(t, int64(77), u.Message.Chat.ID)
	assert.Equal(t, "private", u.Message.Chat.Type)
	assert.Equal(t, "alice", u.Message.From.UserName)
	assert.True(t, u.Message.IsCommand())
	assert.Equal(t, "start", u.Message.Command())
	assert.Equal(t, "promo", u.Message.CommandArguments())

	// Not confirmed yet: the same update is returned again.
	again, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	require.NoError(t, err)
	require.Len(t, again, 1)
	assert.Equal(t, id, again[0].UpdateID)

	// Confirming with offset drops it.
	none, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: id + 1})
	require.NoError(t, err)
	assert.Empty(t, none)
	assert.Zero(t, srv.PendingUpdates())
}

func TestGetUpdatesOffsetLimitAndRaw(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	first := srv.SendText(1, "bob", "hello")
	second := srv.PushRaw(json.RawMessage(`{"my_chat_member":{"chat":{"id":1,"type":"private"},` +
		`"from":{"id":1,"is_bot":false,"first_name":"bob"},"date":1,` +
		`"old_chat_member":{"status":"member","user":{"id":5,"is_bot":true,"first_name":"b"}},` +
		`"new_chat_member":{"status":"kicked","user":{"id":5,"is_bot":true,"first_name":"b"}}}}`))
	third := srv.PushUpdate(tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{ID: "cb1", Data: "yes"}})
	assert.Equal(t, []int{first + 1, first + 2}, []int{second, third})

	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{Limit: 2})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Nil(t, got[0].Message.Entities, "plain text has no command entity")
	require.NotNil(t, got[1].MyChatMember)
	assert.Equal(t, "kicked", got[1].MyChatMember.NewChatMember.Status)

	got, err = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: second + 1})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, third, got[0].UpdateID)
	require.NotNil(t, got[0].CallbackQuery)
	assert.Equal(t, "yes", got[0].CallbackQuery.Data)

	// An explicit update_id is kept, and later IDs continue after it.
	assert.Equal(t, 500, srv.PushRaw(json.RawMessage(`{"update_id":500,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"date":1,"text":"x"}}`)))
	assert.Equal(t, 501, srv.SendText(1, "bob", "/help@crm_test_bot"))
	got, err = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: third + 1})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "help", got[1].Message.Command())
	assert.Equal(t, "help@crm_test_bot", got[1].Message.CommandWithAt())
}

func TestGetUpdatesTimeoutReturnsEmpty(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	start := time.Now()
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.GreaterOrEqual(t, time.Since(start), time.Second)
	assert.Zero(t, srv.ActivePolls())
}

func TestConcurrentGetUpdatesConflict(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)
	other := newBot(t, srv)

	first := pollAsync(bot, tgbotapi.UpdateConfig{Timeout: 30})
	srv.WaitUntil(t, waitTimeout, "the first poller is long polling", func() bool { return srv.ActivePolls() == 1 })

	second := receive(t, pollAsync(other, tgbotapi.UpdateConfig{Timeout: 30}))
	tgErr := apiError(t, second.err)
	assert.Equal(t, 409, tgErr.Code)
	assert.Equal(t, "Conflict: terminated by other getUpdates request; "+
		"make sure that only one bot instance is running", tgErr.Message)
	assert.Equal(t, 1, srv.Conflicts())
	assert.Equal(t, 2, srv.MaxConcurrentPolls())

	// The first poll is unaffected and still gets the next update.
	srv.SendText(1, "bob", "hi")
	res := receive(t, first)
	require.NoError(t, res.err)
	assert.Len(t, res.updates, 1)
}

func TestSequentialPollersDoNotConflict(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	for range 3 {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.MaxConcurrentPolls())
	assert.Zero(t, srv.Conflicts())
	assert.Equal(t, 3, srv.Requests("getUpdates"))
}

func TestGetUpdatesChan(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	cfg := tgbotapi.NewUpdate(0)
	cfg.Timeout = 30
	updates := bot.GetUpdatesChan(cfg)
	srv.SendText(3, "carol", "one")
	srv.SendText(3, "carol", "two")

	assert.Equal(t, "one", receive(t, updates).Message.Text)
	assert.Equal(t, "two", receive(t, updates).Message.Text)

	// The library confirms delivered updates with its next poll.
	srv.WaitUntil(t, waitTimeout, "the updates are confirmed", func() bool { return srv.PendingUpdates() == 0 })
	bot.StopReceivingUpdates()
	srv.Close() // releases the parked long poll; the library loop then exits
	timeout := time.After(waitTimeout)
	for open := true; open; {
		select {
		case _, open = <-updates:
		case <-timeout:
			require.FailNow(t, "the library's update loop did not stop")
		}
	}
	assert.Equal(t, 1, srv.MaxConcurrentPolls())
}

// TestCloseReleasesLongPoll is not parallel, so that no other server's
// goroutines exist while it checks for leaks.
func TestCloseReleasesLongPoll(t *testing.T) {
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	result := pollAsync(bot, tgbotapi.UpdateConfig{Timeout: 60})
	srv.WaitUntil(t, waitTimeout, "the bot is long polling", func() bool { return srv.ActivePolls() == 1 })

	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	receive(t, closed)
	res := receive(t, result)
	require.NoError(t, res.err)
	assert.Empty(t, res.updates)
	srv.Close() // idempotent

	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	assert.NotContains(t, stacks, "fakebotapi.(*Server)", "goroutines of the server leaked")
}

func TestSetDown(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	poll := pollAsync(bot, tgbotapi.UpdateConfig{Timeout: 30})
	srv.WaitUntil(t, waitTimeout, "the bot is long polling", func() bool { return srv.ActivePolls() == 1 })
	srv.SetDown(true)
	res := receive(t, poll)
	require.Error(t, res.err, "a long poll in flight fails when Telegram goes down")

	_, err := bot.Send(tgbotapi.NewMessage(1, "lost"))
	require.Error(t, err)
	var tgErr *tgbotapi.Error
	assert.False(t, errors.As(err, &tgErr), "down is not an API answer: %v", err)

	_, err = tgbotapi.NewBotAPIWithClient(srv.Token(), srv.Endpoint(), srv.Client())
	require.Error(t, err)

	resp, err := srv.Client().Post(srv.URL()+"/bot"+srv.Token()+"/getMe", "", nil)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Contains(t, string(body), "502 Bad Gateway")

	srv.SetDown(false)
	_, err = bot.Send(tgbotapi.NewMessage(1, "delivered"))
	require.NoError(t, err)
	assert.Equal(t, []string{"delivered"}, texts(srv.Sent()))
	assert.Equal(t, 2, srv.Requests("sendMessage"))
}

func TestUnknownMethodAndBadPath(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	_, err := bot.MakeRequest("sendUnicorn", nil)
	tgErr := apiError(t, err)
	assert.Equal(t, 404, tgErr.Code)
	assert.Equal(t, "Not Found", tgErr.Message)

	resp, err := srv.Client().Get(srv.URL() + "/nope")
	require.NoError(t, err)
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, map[string]any{"ok": false, "error_code": float64(404), "description": "Not Found"}, body)
}

func TestHandleCustomMethod(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)
	var mu sync.Mutex
	var answered []string
	srv.Handle("answerCallbackQuery", func(params url.Values) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		answered = append(answered, params.Get("callback_query_id"))
		if len(answered) > 1 {
			return nil, fakebotapi.BadRequest("query is too old and response timeout expired or query ID is invalid")
		}
		return true, nil
	})

	_, err := bot.Request(tgbotapi.NewCallback("q1", "done"))
	require.NoError(t, err)
	_, err = bot.Request(tgbotapi.NewCallback("q2", "done"))
	assert.Equal(t, 400, apiError(t, err).Code)
	mu.Lock()
	assert.Equal(t, []string{"q1", "q2"}, answered)
	mu.Unlock()
}

func TestWebhook(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	received := make(chan *tgbotapi.Update, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		u, err := bot.HandleUpdate(r)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		received <- u
	}))
	t.Cleanup(hook.Close)

	srv.SendText(1, "bob", "queued before webhook")
	_, err := bot.MakeRequest("setWebhook", tgbotapi.Params{
		"url":                  hook.URL + "/tg",
		"secret_token":         "s3cret",
		"drop_pending_updates": "true",
	})
	require.NoError(t, err)
	whURL, secret := srv.Webhook()
	assert.Equal(t, hook.URL+"/tg", whURL)
	assert.Equal(t, "s3cret", secret)
	assert.Zero(t, srv.PendingUpdates(), "drop_pending_updates drops the queue")

	info, err := bot.GetWebhookInfo()
	require.NoError(t, err)
	assert.Equal(t, hook.URL+"/tg", info.URL)
	assert.True(t, info.IsSet())

	_, err = bot.GetUpdates(tgbotapi.UpdateConfig{})
	tgErr := apiError(t, err)
	assert.Equal(t, 409, tgErr.Code)
	assert.Equal(t, "Conflict: can't use getUpdates method while webhook is active; "+
		"use deleteWebhook to delete the webhook first", tgErr.Message)
	assert.Zero(t, srv.Conflicts(), "webhook conflicts are not polling conflicts")

	resp, err := srv.DeliverWebhook(context.Background(), srv.NewTextUpdate(8, "dave", "/menu"))
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	u := receive(t, received)
	assert.Equal(t, "menu", u.Message.Command())
	assert.Equal(t, int64(8), u.Message.Chat.ID)

	_, err = bot.MakeRequest("setWebhook", tgbotapi.Params{"url": hook.URL, "secret_token": "bad secret!"})
	assert.Equal(t, 400, apiError(t, err).Code)

	_, err = bot.Request(tgbotapi.DeleteWebhookConfig{})
	require.NoError(t, err)
	whURL, secret = srv.Webhook()
	assert.Empty(t, whURL)
	assert.Empty(t, secret)
	info, err = bot.GetWebhookInfo()
	require.NoError(t, err)
	assert.False(t, info.IsSet())

	_, err = srv.DeliverWebhook(context.Background(), srv.NewTextUpdate(8, "dave", "hi"))
	require.Error(t, err)
	_, err = bot.GetUpdates(tgbotapi.UpdateConfig{})
	require.NoError(t, err)

	// The library's own setWebhook helper works too.
	cfg, err := tgbotapi.NewWebhook(hook.URL + "/other")
	require.NoError(t, err)
	_, err = bot.Request(cfg)
	require.NoError(t, err)
	whURL, secret = srv.Webhook()
	assert.Equal(t, hook.URL+"/other", whURL)
	assert.Empty(t, secret)
}

func TestJSONRequests(t *testing.T) {
	t.Parallel()
	srv := fakebotapi.New(t)

	resp, err := srv.Client().Post(srv.URL()+"/bot"+srv.Token()+"/sendMessage", "application/json",
		strings.NewReader(`{"chat_id":12,"text":"json body","parse_mode":"MarkdownV2"}`))
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	sent := srv.Sent()
	require.Len(t, sent, 1)
	assert.Equal(t, fakebotapi.SentMessage{
		MessageID: sent[0].MessageID, ChatID: 12, Text: "json body", ParseMode: "MarkdownV2", At: sent[0].At,
	}, sent[0])
}
