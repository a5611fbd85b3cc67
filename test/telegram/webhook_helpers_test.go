package telegram_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"crm/adapters/telegram"
)

// webhookSite serves the process's webhook handler where the HTTP adapter
// mounts it, registers it with the fake, and returns the site's URL
// (CRM_PUBLIC_URL).
func webhookSite(t *testing.T, p *process, secret string) string {
	t.Helper()
	mux := http.NewServeMux()
	site := httptest.NewServer(mux)
	t.Cleanup(site.Close)
	wh, err := telegram.NewWebhook(p.client, p.updates, site.URL, secret, logTo(t))
	require.NoError(t, err)
	mux.Handle("POST /telegram/webhook", wh)
	require.NoError(t, wh.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, wh.Stop(context.Background())) })
	p.sc.srv.WaitUntil(t, wait, "webhook registered", func() bool { u, _ := p.sc.srv.Webhook(); return u != "" })
	return site.URL
}
