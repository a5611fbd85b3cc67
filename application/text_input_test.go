package application_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestValidateSearch(t *testing.T) {
	cases := []struct {
		name, query, code string
	}{
		{"empty", "", ""},
		{"200 characters", strings.Repeat("я", application.MaxSearchLen), ""},
		{"201 characters", strings.Repeat("я", application.MaxSearchLen+1), domain.CodeTooLong},
		{"60,000 bytes", strings.Repeat("word ", 12000), domain.CodeTooLong},
		{"NUL", "a\x00b", domain.CodeInvalidText},
		{"not UTF-8", "a\xffb", domain.CodeInvalidText},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := application.ValidateSearch(c.query)
			if c.code == "" {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, domain.ValidationError{Field: "q", Code: c.code}, err)
		})
	}
}

func TestListQueueRefusesASearchThatIsNotText(t *testing.T) {
	e := newEnv(t)
	staff := e.user(t, "staff", domain.RoleStaff)
	_, err := e.ListQueue.Handle(e.ctx, application.ListQueue{Actor: staff, Query: "a\x00b"})
	assert.Equal(t, domain.ValidationError{Field: "q", Code: domain.CodeInvalidText}, err)
	_, err = e.ListQueue.Handle(e.ctx, application.ListQueue{Actor: staff, Query: strings.Repeat("x", 201)})
	assert.Equal(t, domain.ValidationError{Field: "q", Code: domain.CodeTooLong}, err)
}

func TestIssueAPITokenRefusesALabelThatIsNotText(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "someone", domain.RoleUser)
	_, err := e.IssueAPIToken.Handle(e.ctx, application.IssueAPIToken{Actor: u, Username: "someone", Name: "label\x07"})
	require.Error(t, err)
	assert.Equal(t, domain.ValidationError{Field: "name", Code: domain.CodeInvalidText}, err)
}

func TestHandleBotMessageAnswersTextThatIsNotTextWithHelp(t *testing.T) {
	w := newWorld(t)
	token := w.issue(w.alice())
	for _, text := range []string{"/start " + token + "\x00", "/start \xff" + token, "/stop\x07"} {
		got, err := w.tg.HandleBotMessage.Handle(context.Background(), application.HandleBotMessage{
			ChatID: 77, Private: true, Text: text, LanguageCode: "ru\x00",
		})
		require.NoError(t, err)
		assert.Equal(t, application.BotReply{Kind: application.ReplyHelp}, got, "%q", text)
	}
	_, err := w.store.Users.GetByTelegramChat(context.Background(), 77)
	assert.ErrorIs(t, err, domain.ErrUserNotFound, "nothing was linked")
}
