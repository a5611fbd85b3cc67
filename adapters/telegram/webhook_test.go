package telegram_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/telegram"
	"crm/test/fakebotapi"
)

const secret = "s3cret_-webhook"

// webhookSite serves the webhook handler at /telegram/webhook, registered
// with the fake.
func webhookSite(t *testing.T, b *bot) (*telegram.Webhook, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	site := httptest.NewServer(mux)
	t.Cleanup(site.Close)
	wh, err := telegram.NewWebhook(b.client, b.updates, site.URL+"/", secret, quiet())
	require.NoError(t, err)
	mux.Handle("POST "+telegram.WebhookPath, wh)
	require.NoError(t, wh.Start(t.Context()))
	t.Cleanup(func() { require.NoError(t, wh.Stop(context.Background())) })
	b.srv.WaitUntil(t, waitLimit, "webhook registered", func() bool { u, _ := b.srv.Webhook(); return u != "" })
	return wh, site
}

func TestWebhookIsRegisteredWithTheSecret(t *testing.T) {
	b := newBot(t)
	b.srv.FailNext("setWebhook", 1, fakebotapi.Status500()) // retried
	_, site := webhookSite(t, b)
	url, sec := b.srv.Webhook()
	assert.Equal(t, site.URL+"/telegram/webhook", url)
	assert.Equal(t, secret, sec)
}

func TestWebhookChecksTheSecret(t *testing.T) {
	b := newBot(t)
	_, site := webhookSite(t, b)
	u, token := b.token("alice")
	update := string(b.srv.NewTextUpdate(77, "alice", "/start "+token))

	for name, header := range map[string]string{"no secret": "", "a wrong secret": "guess", "a longer one": secret + "x"} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, site.URL+"/telegram/webhook", strings.NewReader(update))
			require.NoError(t, err)
			if header != "" {
				req.Header.Set(telegram.SecretTokenHeader, header)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		})
	}
	assert.Zero(t, b.chatOf(u), "nothing linked")
	assert.Empty(t, b.srv.Sent())

	resp, err := b.srv.DeliverWebhook(t.Context(), []byte(update))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, int64(77), b.chatOf(u), "the real Telegram links")
	sent := b.srv.WaitForSent(t, 1, waitLimit)
	assert.Contains(t, sent[0].Text, "alice")
}

func TestWebhookAnswers200ToWhatItCannotUse(t *testing.T) {
	b := newBot(t)
	_, site := webhookSite(t, b)
	bodies := map[string]string{
		"not JSON":            "{{{ nope",
		"not an update":       `[1, 2, 3]`,
		"no message":          `{"update_id": 5, "callback_query": {"id": "1", "data": "x"}}`,
		"a message sans text": `{"update_id": 6, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "photo": []}}`,
		"a bad entity":        `{"update_id": 7, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "/s", "entities": [{"type": "bot_command", "offset": 0, "length": 99}]}}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, site.URL+"/telegram/webhook", strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set(telegram.SecretTokenHeader, secret)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
		})
	}
	// Only "/s" with its odd entity is a text message: it gets the help.
	sent := b.srv.WaitForSent(t, 1, waitLimit)
	assert.Contains(t, sent[0].Text, "/help")
}

func TestNewWebhookRefusesBadConfig(t *testing.T) {
	b := newBot(t)
	for name, args := range map[string][2]string{
		"no public URL":     {"", secret},
		"a relative URL":    {"/crm", secret},
		"no secret":         {"https://crm.example", ""},
		"a secret with ;":   {"https://crm.example", "a;b"},
		"a secret too long": {"https://crm.example", strings.Repeat("a", 257)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := telegram.NewWebhook(b.client, b.updates, args[0], args[1], quiet())
			assert.Error(t, err)
		})
	}
}
