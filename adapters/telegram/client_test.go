package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/telegram"
	"crm/application"
	"crm/test/fakebotapi"
)

func newClient(t *testing.T, srv *fakebotapi.Server, cfg telegram.Config) *telegram.Client {
	t.Helper()
	cfg.Token, cfg.APIURL = srv.Token(), srv.URL()
	c, err := telegram.NewClient(cfg)
	require.NoError(t, err)
	return c
}

func TestClientConnectsLazily(t *testing.T) {
	srv := fakebotapi.New(t)
	c := newClient(t, srv, telegram.Config{})
	assert.Zero(t, srv.Requests("getMe"), "no I/O before it is needed")
	assert.Empty(t, c.BotUsername())

	srv.SetDown(true)
	assert.Error(t, c.Connect(t.Context()), "Telegram down at start is an error to retry, not a crash")
	srv.SetDown(false)
	require.NoError(t, c.Connect(t.Context()))
	assert.Equal(t, fakebotapi.DefaultBotUsername, c.BotUsername())
	require.NoError(t, c.Connect(t.Context()))
	assert.Equal(t, 2, srv.Requests("getMe"), "once connected, getMe is not asked again")
}

func TestNewClientRefusesBadConfig(t *testing.T) {
	_, err := telegram.NewClient(telegram.Config{})
	assert.Error(t, err, "no token")
	_, err = telegram.NewClient(telegram.Config{Token: "1:x", APIURL: "ftp://example.com"})
	assert.Error(t, err)
}

func TestClientNeverShowsTheToken(t *testing.T) {
	const token = "987654:SECRET-token_value"
	srv := fakebotapi.New(t, fakebotapi.WithToken(token))
	srv.Close() // every request now fails with the URL, token included, in the error

	c, err := telegram.NewClient(telegram.Config{Token: token, APIURL: srv.URL(), RequestTimeout: time.Second})
	require.NoError(t, err)
	errs := []error{
		c.Connect(t.Context()),
		c.SendText(t.Context(), 1, "hi"),
		c.DeleteWebhook(t.Context()),
	}
	_, err = c.GetUpdates(t.Context(), 0, time.Second)
	errs = append(errs, err)
	for _, err := range errs {
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "SECRET")
		assert.Contains(t, err.Error(), "<token>", "the URL is still there to read, without the token")
	}
}

func TestSendTextClassifiesErrors(t *testing.T) {
	tests := []struct {
		name  string
		fail  func(srv *fakebotapi.Server)
		check func(t *testing.T, err error)
	}{
		{"403 blocked", func(srv *fakebotapi.Server) { srv.BlockChat(5) }, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, application.ErrChatBlocked)
			assert.Contains(t, err.Error(), "bot was blocked by the user")
		}},
		{"400 is permanent", func(srv *fakebotapi.Server) {
			srv.FailNext("sendMessage", 1, fakebotapi.BadRequest("chat not found"))
		}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, application.ErrPermanent)
			assert.Contains(t, err.Error(), "chat not found")
		}},
		{"429 says how long to wait", func(srv *fakebotapi.Server) {
			srv.FailNext("sendMessage", 1, fakebotapi.TooManyRequests(7))
		}, func(t *testing.T, err error) {
			var ra *application.RetryAfterError
			require.ErrorAs(t, err, &ra)
			assert.Equal(t, 7*time.Second, ra.After)
		}},
		{"500 is transient", func(srv *fakebotapi.Server) {
			srv.FailNext("sendMessage", 1, fakebotapi.Status500())
		}, transient},
		{"502 with an HTML page is transient", func(srv *fakebotapi.Server) {
			srv.FailNext("sendMessage", 1, fakebotapi.BadGateway())
		}, transient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakebotapi.New(t)
			c := newClient(t, srv, telegram.Config{})
			tt.fail(srv)
			err := c.SendText(t.Context(), 5, "hello")
			require.Error(t, err)
			tt.check(t, err)
			assert.Empty(t, srv.Sent())
		})
	}
}

func transient(t *testing.T, err error) {
	t.Helper()
	var ra *application.RetryAfterError
	assert.False(t, errors.Is(err, application.ErrPermanent) || errors.Is(err, application.ErrChatBlocked) || errors.As(err, &ra),
		"transient: %v", err)
}

func TestSendTextSendsPlainTextWithoutPreview(t *testing.T) {
	srv := fakebotapi.New(t)
	c := newClient(t, srv, telegram.Config{})
	require.NoError(t, c.SendText(t.Context(), 5, "<b>not bold</b> & *not markdown*"))
	sent := srv.Sent()
	require.Len(t, sent, 1)
	assert.Equal(t, "<b>not bold</b> & *not markdown*", sent[0].Text)
	assert.Empty(t, sent[0].ParseMode)
	assert.True(t, sent[0].DisableWebPagePreview)
}

func TestSendTextKeepsTheChatInterval(t *testing.T) {
	const interval = 200 * time.Millisecond
	srv := fakebotapi.New(t, fakebotapi.WithChatInterval(interval))
	c := newClient(t, srv, telegram.Config{ChatInterval: interval})
	errs := make(chan error, 4)
	for i := range 4 {
		go func() { errs <- c.SendText(context.Background(), 9, fmt.Sprint("message ", i)) }()
	}
	for range 4 {
		require.NoError(t, <-errs)
	}
	sent := srv.SentTo(9)
	require.Len(t, sent, 4)
	for i := 1; i < len(sent); i++ {
		assert.GreaterOrEqual(t, sent[i].At.Sub(sent[i-1].At), interval)
	}
	assert.Zero(t, srv.Count429())
}

func TestSendTextKeepsTheGlobalRate(t *testing.T) {
	srv := fakebotapi.New(t) // 30 messages per second at most
	c := newClient(t, srv, telegram.Config{MessagesPerSecond: 25})
	const n = 60
	errs := make(chan error, n)
	start := time.Now()
	for i := range n {
		go func() { errs <- c.SendText(context.Background(), int64(1000+i), "hi") }()
	}
	for range n {
		require.NoError(t, <-errs)
	}
	assert.Zero(t, srv.Count429())
	assert.GreaterOrEqual(t, time.Since(start), 2*time.Second, "60 messages at 25/s take over 2s")
}

func TestSendTextAfter429WaitsForTheChat(t *testing.T) {
	srv := fakebotapi.New(t)
	c := newClient(t, srv, telegram.Config{})
	srv.FailNext("sendMessage", 1, fakebotapi.TooManyRequests(1))
	require.Error(t, c.SendText(t.Context(), 3, "first"))
	failedAt := time.Now()
	require.NoError(t, c.SendText(t.Context(), 4, "another chat waits too"))
	assert.GreaterOrEqual(t, time.Since(failedAt), 900*time.Millisecond)
}
