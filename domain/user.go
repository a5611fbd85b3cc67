package domain

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Username rules (the password's are in password.go).
const (
	UsernameMinLen    = 3
	UsernameMaxLen    = 150
	UserLanguageMaxLn = 8
)

// User is a person with an account. The password itself is never held, only
// its hash.
type User struct {
	id             int64
	username       string
	passwordHash   string
	role           Role
	active         bool
	telegramChatID int64 // 0 means not linked
	language       string
	createdAt      time.Time
	// Staff alerts in the linked chat, both on unless switched off: the
	// zero value is the default, for new and stored users alike.
	quietNewTickets   bool
	quietOwnerReplies bool

	events []Event
}

// NewUser validates username and returns a new active user with role. The
// hash comes from the application's PasswordHasher; ValidatePassword checks
// the password itself beforehand.
func NewUser(username, passwordHash string, role Role, now time.Time) (*User, error) {
	if err := ValidateUsername(username); err != nil {
		return nil, err
	}
	if role.IsZero() {
		return nil, ValidationError{Field: "role", Code: CodeRequired}
	}
	return &User{
		username:     username,
		passwordHash: passwordHash,
		role:         role,
		active:       true,
		createdAt:    now.UTC(),
	}, nil
}

// RehydrateUser rebuilds a stored user. Only storage adapters call it.
func RehydrateUser(id int64, username, passwordHash string, role Role, active bool,
	telegramChatID int64, language string, createdAt time.Time) *User {
	return &User{
		id: id, username: username, passwordHash: passwordHash, role: role,
		active: active, telegramChatID: telegramChatID, language: language,
		createdAt: createdAt.UTC(),
	}
}

// ValidateUsername checks the username rules: 3–150 letters, digits and
// @.+-_ characters. Bytes that are not text at all (CodeInvalidText) are
// told apart from characters a username may not have.
func ValidateUsername(username string) error {
	n := utf8.RuneCountInString(username)
	switch {
	case n == 0:
		return ValidationError{Field: "username", Code: CodeRequired}
	case !ValidText(username):
		return ValidationError{Field: "username", Code: CodeInvalidText}
	case n < UsernameMinLen:
		return ValidationError{Field: "username", Code: CodeTooShort}
	case n > UsernameMaxLen:
		return ValidationError{Field: "username", Code: CodeTooLong}
	}
	for _, r := range username {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("@.+-_", r) {
			return ValidationError{Field: "username", Code: CodeInvalidChars}
		}
	}
	return nil
}

// UsernameKey is the form in which usernames are compared and kept unique:
// "Alice" and "alice" are the same person.
func UsernameKey(username string) string { return strings.ToLower(username) }

func (u *User) ID() int64            { return u.id }
func (u *User) Username() string     { return u.username }
func (u *User) PasswordHash() string { return u.passwordHash }
func (u *User) Role() Role           { return u.role }
func (u *User) Active() bool         { return u.active }
func (u *User) Language() string     { return u.language }
func (u *User) CreatedAt() time.Time { return u.createdAt }

// TelegramChatID returns the linked chat and whether there is one.
func (u *User) TelegramChatID() (int64, bool) { return u.telegramChatID, u.telegramChatID != 0 }

// IsStaff reports whether the user may work the queue.
func (u *User) IsStaff() bool { return u.role.IsStaff() }

// IsAdmin reports whether the user may manage users.
func (u *User) IsAdmin() bool { return u.role.IsAdmin() }

// SetID records the id that storage gave a new user. Only storage adapters
// call it, once.
func (u *User) SetID(id int64) {
	if u.id != 0 {
		panic("domain: user id set twice")
	}
	u.id = id
}

// ChangeRole gives the user a new role and records UserRoleChanged.
func (u *User) ChangeRole(by *User, to Role, now time.Time) {
	if u.role == to {
		return
	}
	from := u.role
	u.role = to
	u.record(UserRoleChanged{UserID: u.id, Username: u.username, ByID: by.ID(), ByName: by.Username(),
		From: from.String(), To: to.String(), At: now.UTC()})
}

// SetActive activates or deactivates the user and records UserActiveChanged.
func (u *User) SetActive(by *User, active bool, now time.Time) {
	if u.active == active {
		return
	}
	u.active = active
	u.record(UserActiveChanged{UserID: u.id, Username: u.username, ByID: by.ID(), ByName: by.Username(),
		Active: active, At: now.UTC()})
}

// SetPasswordHash replaces the password hash.
func (u *User) SetPasswordHash(hash string) { u.passwordHash = hash }

// SetLanguage sets the preferred interface language ("" means automatic).
func (u *User) SetLanguage(lang string) error {
	if len(lang) > UserLanguageMaxLn {
		return ValidationError{Field: "language", Code: CodeInvalid}
	}
	u.language = lang
	return nil
}

// AlertsNewTickets says whether a staff member's linked chat hears of
// each new ticket.
func (u *User) AlertsNewTickets() bool { return !u.quietNewTickets }

// AlertsOwnerReplies says whether a staff member's linked chat hears of
// the owner's replies on tickets assigned to them.
func (u *User) AlertsOwnerReplies() bool { return !u.quietOwnerReplies }

// SetStaffAlerts switches the two staff alerts on or off.
func (u *User) SetStaffAlerts(newTickets, ownerReplies bool) {
	u.quietNewTickets, u.quietOwnerReplies = !newTickets, !ownerReplies
}

// LinkTelegram binds chatID to the user and records TelegramLinked.
func (u *User) LinkTelegram(chatID int64, now time.Time) {
	u.telegramChatID = chatID
	u.record(TelegramLinked{UserID: u.id, ChatID: chatID, At: now.UTC()})
}

// UnlinkTelegram removes the chat binding; it reports whether there was one.
func (u *User) UnlinkTelegram() bool {
	had := u.telegramChatID != 0
	u.telegramChatID = 0
	return had
}

func (u *User) record(e Event) { u.events = append(u.events, e) }

// Events returns a copy of the events recorded since the user was loaded.
func (u *User) Events() []Event { return slices.Clone(u.events) }
