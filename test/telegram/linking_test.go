package telegram_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// startLink is a person pressing "Link Telegram" on the account page.
func (p *process) startLink(u *domain.User) application.TelegramLink {
	p.sc.t.Helper()
	link, err := p.tg.IssueTelegramLink.Handle(context.Background(), application.IssueTelegramLink{Actor: u})
	require.NoError(p.sc.t, err)
	return link
}

func TestLinkByStart(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{})
	alice := sc.user("alice", domain.RoleUser)
	require.NoError(t, p.client.Connect(t.Context()))

	link := p.startLink(alice)
	assert.Equal(t, "https://t.me/crm_test_bot?start="+link.Token, link.URL)
	sc.srv.SendText(1001, "alice", link.Command)

	reply := sc.srv.WaitForSent(t, 1, wait)[0]
	assert.Equal(t, int64(1001), reply.ChatID)
	assert.Contains(t, reply.Text, "linked to the account alice")
	assert.Equal(t, int64(1001), sc.chatOf(alice))
	st, err := p.tg.GetTelegramStatus.Handle(t.Context(), application.GetTelegramStatus{Actor: alice})
	require.NoError(t, err)
	assert.True(t, st.Linked)
}

func TestReplayedTokenIsRefused(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{})
	alice := sc.user("alice", domain.RoleUser)
	link := p.startLink(alice)
	sc.srv.SendText(1001, "alice", link.Command)
	sc.srv.WaitForSent(t, 1, wait)

	sc.srv.SendText(6666, "mallory", link.Command)
	reply := sc.srv.WaitForSent(t, 2, wait)[1]
	assert.Equal(t, int64(6666), reply.ChatID)
	assert.Contains(t, reply.Text, "already used")
	assert.Equal(t, int64(1001), sc.chatOf(alice), "the chat stays alice's own")
}

func TestExpiredTokenIsRefused(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{})
	alice := sc.user("alice", domain.RoleUser)
	link := p.startLink(alice)
	sc.clock.Advance(15*time.Minute + time.Second)

	sc.srv.SendText(1001, "alice", link.Command)
	reply := sc.srv.WaitForSent(t, 1, wait)[0]
	assert.Contains(t, reply.Text, "expired")
	assert.Zero(t, sc.chatOf(alice))
}

func TestStartWithoutTokenOrWithGarbageLinksNothing(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	sc.start(processConfig{})
	sc.srv.SendText(1001, "alice", "/start")
	sc.srv.SendText(1001, "alice", "/start not-a-token!")
	sc.srv.SendText(1001, "alice", "/start "+application.NewSecretToken())
	got := texts(sc.srv.WaitForSent(t, 3, wait))
	assert.Contains(t, got[0], "To link this chat")
	assert.Contains(t, got[1], "not valid")
	assert.Contains(t, got[2], "not valid")
	_, err := sc.db.users.GetByTelegramChat(t.Context(), 1001)
	assert.ErrorIs(t, err, domain.ErrUserNotFound)
}

func TestStopAndTheAccountPageUnlink(t *testing.T) {
	sc := newScenario(t, sqliteBackend(t))
	p := sc.start(processConfig{})
	alice := sc.linkedUser("alice", 1001)
	bob := sc.linkedUser("bob", 1002)

	sc.srv.SendText(1001, "alice", "/stop")
	assert.Contains(t, sc.srv.WaitForSent(t, 1, wait)[0].Text, "no longer linked")
	assert.Zero(t, sc.chatOf(alice))

	require.NoError(t, p.tg.UnlinkTelegram.Handle(t.Context(), application.UnlinkTelegram{Actor: bob}))
	assert.Zero(t, sc.chatOf(bob))
}
