package telegram_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/telegram"
	"crm/domain"
)

// postUpdate posts update to the webhook of the site at siteURL, as
// Telegram would, and returns the status.
func postUpdate(t *testing.T, siteURL, secret string, update []byte) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, siteURL+telegram.WebhookPath, bytes.NewReader(update))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(telegram.SecretTokenHeader, secret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// Behind a load balancer each webhook call reaches one replica; what one
// replica sent, the other threads.
func TestBotOnWebhookReplicasSharesItsMemory(t *testing.T) {
	const secret = "s3cret"
	sc := newBotScenario(t, postgresBackend(t))
	a := sc.start(processConfig{noPoller: true, chatInterval: fast})
	b := sc.start(processConfig{noPoller: true, chatInterval: fast})
	siteA, siteB := webhookSite(t, a, secret), webhookSite(t, b, secret)
	staff := sc.user("staff_user", domain.RoleStaff)
	alice := sc.linkedUser("alice", 1001)
	tk := sc.ticket(alice, "Printer")

	a.addComment(staff, tk, "Is it plugged in?", false)
	note := sc.remembered(sc.sentTo(1001, 1)[0])

	assert.Equal(t, http.StatusOK, postUpdate(t, siteB, secret, sc.srv.NewReplyUpdate(1001, "alice", "Yes.", note.MessageID)))
	assert.Contains(t, sc.sentTo(1001, 2)[1].Text, "Your comment was added")
	assert.Equal(t, "Yes.", sc.reload(tk.ID()).Comments()[1].Text)

	assert.Equal(t, http.StatusOK, postUpdate(t, siteA, secret, sc.srv.NewCallbackUpdate(1001, "alice", note.MessageID, fmt.Sprintf("c:%d", tk.ID()))))
	assert.Equal(t, domain.StatusClosed, sc.reload(tk.ID()).Status())
	assert.Equal(t, []string{"Done."}, sc.answers(1))

	for _, raw := range []string{
		`{"update_id":900,"edited_message":{"message_id":5,"date":1,"chat":{"id":1001,"type":"private"},"text":"edited"}}`,
		`{"update_id":901,"callback_query":{"id":"x","from":{"id":1001,"is_bot":false,"first_name":"a"},"data":"c:1"}}`,
		`{"update_id":902,"message":{"message_id":7,"date":1,"chat":{"id":-100500,"type":"group"},"text":"/new"}}`,
		`not json`,
	} {
		assert.Equal(t, http.StatusOK, postUpdate(t, siteB, secret, []byte(raw)), raw)
	}
	answers := sc.answers(2)
	assert.Equal(t, "You cannot do that; nothing changed.", answers[1], "a press without its message")
	var body map[string]any
	require.NoError(t, json.Unmarshal(sc.srv.NewTextUpdate(1, "x", "y"), &body), "the fake still works")
}
