package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

func TestNewSavedReplyValidates(t *testing.T) {
	staff := domain.RehydrateUser(7, "helper", "h", domain.RoleStaff, true, 0, "", time.Time{})
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, replyName, text string
		want                  domain.ValidationErrors
	}{
		{"empty both", " ", "\n", domain.ValidationErrors{{Field: "name", Code: domain.CodeRequired}, {Field: "text", Code: domain.CodeRequired}}},
		{"long name", strings.Repeat("я", domain.SavedReplyNameMaxLen+1), "ok", domain.ValidationErrors{{Field: "name", Code: domain.CodeTooLong}}},
		{"name on two lines", "a\nb", "ok", domain.ValidationErrors{{Field: "name", Code: domain.CodeInvalidText}}},
		{"long text", "ok", strings.Repeat("я", domain.SavedReplyTextMaxLen+1), domain.ValidationErrors{{Field: "text", Code: domain.CodeTooLong}}},
		{"control character", "ok", "a\x00b", domain.ValidationErrors{{Field: "text", Code: domain.CodeInvalidText}}},
		{"unknown placeholder", "ok", "Hello {name}", domain.ValidationErrors{{Field: "text", Code: domain.CodeUnknownPlaceholder}}},
		{"unknown Cyrillic placeholder", "ok", "Здравствуйте, {имя}", domain.ValidationErrors{{Field: "text", Code: domain.CodeUnknownPlaceholder}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := domain.NewSavedReply(staff, tc.replyName, tc.text, true, now)
			assert.Equal(t, tc.want, err)
		})
	}

	r, err := domain.NewSavedReply(staff, "  Приветствие ", "Здравствуйте, {owner}!\r\nПо заявке #{ticket}: {} {owner}", false, now)
	require.NoError(t, err)
	assert.Equal(t, "Приветствие", r.Name, "trimmed")
	assert.Equal(t, "приветствие", r.NameKey())
	assert.Equal(t, int64(7), r.ScopeID(), "personal: the author's scope")
	assert.Equal(t, "helper", r.AuthorName)
	owner := domain.RehydrateUser(3, "Анна", "h", domain.RoleUser, true, 0, "", time.Time{})
	tk, err := domain.NewTicket(owner, "Title", "Text", "repair", now)
	require.NoError(t, err)
	tk.SetID(42)
	assert.Equal(t, "Здравствуйте, Анна!\nПо заявке #42: {} Анна", r.Fill(tk), "every placeholder filled, newlines as LF")
}

func TestSavedReplyPermissions(t *testing.T) {
	author := domain.RehydrateUser(1, "author", "h", domain.RoleStaff, true, 0, "", time.Time{})
	colleague := domain.RehydrateUser(2, "colleague", "h", domain.RoleStaff, true, 0, "", time.Time{})
	admin := domain.RehydrateUser(3, "admin", "h", domain.RoleAdmin, true, 0, "", time.Time{})
	user := domain.RehydrateUser(4, "user", "h", domain.RoleUser, true, 0, "", time.Time{})
	shared := domain.SavedReply{AuthorID: 1, Shared: true}
	personal := domain.SavedReply{AuthorID: 1}

	for _, c := range []struct {
		who         *domain.User
		reply       domain.SavedReply
		see, change bool
		name        string
	}{
		{author, shared, true, true, "the author, shared"},
		{author, personal, true, true, "the author, personal"},
		{colleague, shared, true, false, "a colleague, shared"},
		{colleague, personal, false, false, "a colleague, personal"},
		{admin, shared, true, true, "an admin, shared"},
		{admin, personal, false, false, "an admin, personal"},
		{user, shared, false, false, "not staff"},
	} {
		assert.Equal(t, c.see, c.reply.CanBeSeenBy(c.who), c.name)
		assert.Equal(t, c.change, c.reply.CanBeChangedBy(c.who), c.name)
	}
}
