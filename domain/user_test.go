package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

func TestValidateUsername(t *testing.T) {
	tests := []struct {
		name     string
		username string
		wantCode string // "" means valid
	}{
		{"empty is required", "", domain.CodeRequired},
		{"2 characters are too short", "ab", domain.CodeTooShort},
		{"3 characters are enough", "abc", ""},
		{"150 characters are the most", strings.Repeat("a", 150), ""},
		{"151 characters are too long", strings.Repeat("a", 151), domain.CodeTooLong},
		{"length counts characters, not bytes: 150 Cyrillic letters", strings.Repeat("ж", 150), ""},
		{"length counts characters, not bytes: 2 Cyrillic letters", "жж", domain.CodeTooShort},
		{"151 Cyrillic letters are too long", strings.Repeat("ж", 151), domain.CodeTooLong},
		{"latin letters and digits", "Alice2024", ""},
		{"Cyrillic letters", "Пётр_Иванов", ""},
		{"every allowed symbol", "a@b.c+d-e_f", ""},
		{"only symbols", "@.+-_", ""},
		{"space", "john smith", domain.CodeInvalidChars},
		{"slash", "john/smith", domain.CodeInvalidChars},
		{"less-than", "<script>", domain.CodeInvalidChars},
		{"quote", `o"neil`, domain.CodeInvalidChars},
		{"apostrophe", "o'neil", domain.CodeInvalidChars},
		{"tab", "john\tsmith", domain.CodeInvalidChars},
		{"emoji", "john🙂", domain.CodeInvalidChars},
		{"leading space", " john", domain.CodeInvalidChars},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := domain.ValidateUsername(tc.username)
			if tc.wantCode == "" {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, domain.ValidationError{Field: "username", Code: tc.wantCode}, err)
		})
	}
}

func TestNewUser(t *testing.T) {
	local := time.FixedZone("MSK", 3*60*60)

	u, err := domain.NewUser("Alice", "bcrypt-hash", domain.RoleStaff, t0.In(local))

	require.NoError(t, err)
	assert.Zero(t, u.ID(), "storage gives the id")
	assert.Equal(t, "Alice", u.Username(), "the username is kept as typed")
	assert.Equal(t, "bcrypt-hash", u.PasswordHash())
	assert.Equal(t, domain.RoleStaff, u.Role())
	assert.True(t, u.Active(), "a new account is active")
	assert.Equal(t, t0, u.CreatedAt())
	assert.Equal(t, time.UTC, u.CreatedAt().Location())
	_, linked := u.TelegramChatID()
	assert.False(t, linked)
	assert.Empty(t, u.Events())
}

func TestNewUserRefusesABadUsernameOrNoRole(t *testing.T) {
	_, err := domain.NewUser("a b", "hash", domain.RoleUser, t0)
	assert.Equal(t, domain.ValidationError{Field: "username", Code: domain.CodeInvalidChars}, err)

	_, err = domain.NewUser("alice", "hash", domain.Role{}, t0)
	assert.Equal(t, domain.ValidationError{Field: "role", Code: domain.CodeRequired}, err)
}

func TestUsernameKeyIgnoresCase(t *testing.T) {
	assert.Equal(t, domain.UsernameKey("alice"), domain.UsernameKey("ALICE"))
	assert.Equal(t, domain.UsernameKey("пётр"), domain.UsernameKey("ПЁТР"))
	assert.NotEqual(t, domain.UsernameKey("alice"), domain.UsernameKey("alice2"))
}

func TestUserSetIDOnce(t *testing.T) {
	u, err := domain.NewUser("alice", "hash", domain.RoleUser, t0)
	require.NoError(t, err)

	u.SetID(7)

	assert.Equal(t, int64(7), u.ID())
	assert.Panics(t, func() { u.SetID(8) })
}

func TestUserChangeRoleRecordsUserRoleChanged(t *testing.T) {
	u := userWith(5, "bob", domain.RoleUser)

	u.ChangeRole(admin, domain.RoleStaff, t0)

	assert.Equal(t, domain.RoleStaff, u.Role())
	assert.True(t, u.IsStaff())
	assert.False(t, u.IsAdmin())
	assert.Equal(t, []domain.Event{domain.UserRoleChanged{
		UserID: 5, Username: "bob", ByID: admin.ID(), ByName: admin.Username(),
		From: "user", To: "staff", At: t0,
	}}, u.Events())
}

func TestUserChangeRoleToTheSameRoleRecordsNothing(t *testing.T) {
	u := userWith(5, "bob", domain.RoleStaff)

	u.ChangeRole(admin, domain.RoleStaff, t0)

	assert.Equal(t, domain.RoleStaff, u.Role())
	assert.Empty(t, u.Events())
}

func TestUserSetActiveRecordsUserActiveChanged(t *testing.T) {
	u := userWith(5, "bob", domain.RoleUser)

	u.SetActive(admin, false, t0)
	u.SetActive(admin, false, t0.Add(time.Minute)) // already inactive: nothing new
	u.SetActive(admin, true, t0.Add(time.Hour))

	assert.True(t, u.Active())
	assert.Equal(t, []domain.Event{
		domain.UserActiveChanged{UserID: 5, Username: "bob", ByID: admin.ID(), ByName: admin.Username(), Active: false, At: t0},
		domain.UserActiveChanged{UserID: 5, Username: "bob", ByID: admin.ID(), ByName: admin.Username(), Active: true, At: t0.Add(time.Hour)},
	}, u.Events())
}

func TestUserSetLanguage(t *testing.T) {
	u := userWith(5, "bob", domain.RoleUser)

	require.NoError(t, u.SetLanguage("ru"))
	assert.Equal(t, "ru", u.Language())

	err := u.SetLanguage("much-too-long")
	assert.Equal(t, domain.ValidationError{Field: "language", Code: domain.CodeInvalid}, err)
	assert.Equal(t, "ru", u.Language(), "a refused language leaves the old one")

	require.NoError(t, u.SetLanguage(""))
	assert.Empty(t, u.Language())
}

func TestUserTelegramLink(t *testing.T) {
	u := userWith(5, "bob", domain.RoleUser)

	u.LinkTelegram(424242, t0)

	chat, ok := u.TelegramChatID()
	assert.True(t, ok)
	assert.Equal(t, int64(424242), chat)
	assert.Equal(t, []domain.Event{domain.TelegramLinked{UserID: 5, ChatID: 424242, At: t0}}, u.Events())

	assert.True(t, u.UnlinkTelegram(), "there was a link")
	_, ok = u.TelegramChatID()
	assert.False(t, ok)
	assert.False(t, u.UnlinkTelegram(), "nothing left to unlink")
}

func TestUserSetPasswordHash(t *testing.T) {
	u := userWith(5, "bob", domain.RoleUser)

	u.SetPasswordHash("new-hash")

	assert.Equal(t, "new-hash", u.PasswordHash())
}

func TestSessionExpired(t *testing.T) {
	s := domain.Session{TokenHash: "h", UserID: 1, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}

	assert.False(t, s.Expired(t0))
	assert.False(t, s.Expired(t0.Add(time.Hour-time.Nanosecond)))
	assert.True(t, s.Expired(t0.Add(time.Hour)), "a session is over at its expiry")
	assert.True(t, s.Expired(t0.Add(2*time.Hour)))
}
