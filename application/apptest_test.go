package application_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
	"crm/test/testclock"
)

// t0 is when every use-case test starts; whole seconds, so that storage's
// microsecond precision changes nothing.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// fakeHasher is a fast, transparent PasswordHasher: argon2id would make
// the suite slow and tells nothing about the use cases. It also accepts
// hashes of an older format, "legacy-hash:<password>", which NeedsRehash
// reports, as the real one reports bcrypt hashes.
type fakeHasher struct{}

var _ application.PasswordHasher = fakeHasher{}

const (
	fakeHashPrefix   = "fake-hash:"
	legacyHashPrefix = "legacy-hash:"
)

func (fakeHasher) Hash(_ context.Context, password string) (string, error) {
	return fakeHashPrefix + password, nil
}

func (f fakeHasher) Verify(_ context.Context, hash, password string) (bool, error) {
	return f.matches(hash, password), nil
}

func (fakeHasher) NeedsRehash(hash string) bool { return !strings.HasPrefix(hash, fakeHashPrefix) }

// matches is Verify without the context, for assertions.
func (fakeHasher) matches(hash, password string) bool {
	return hash == fakeHashPrefix+password || hash == legacyHashPrefix+password
}

// testLimits are the test app's limits on files: small, to test them
// without large uploads.
var testLimits = application.AttachmentLimits{MaxBytes: 100, MaxFiles: 3}

// languages are the interface languages the test app offers.
var languages = []string{"en", "ru"}

// env is an App on fresh in-memory adapters, with its clock and stores at
// hand for arranging and checking.
type env struct {
	*application.App
	ctx   context.Context
	clock *testclock.Manual
	store *memory.Store
}

func newEnv(t *testing.T) *env {
	t.Helper()
	store := memory.NewStore()
	clock := testclock.NewManual(t0)
	app := application.NewApp(application.Deps{
		Users: store.Users, Tickets: store.Tickets, Sessions: store.Sessions, Events: store.Events,
		Reports: store.Reports, APITokens: memory.NewAPITokens(), Resets: memory.NewPasswordResets(),
		Attachments: store.Attachments, Files: store.Files, AttachmentLimits: testLimits,
		Hasher: fakeHasher{}, Clock: clock, Languages: languages, SavedReplies: memory.NewSavedReplies(),
		SLAPolicies: store.SLAPolicies,
	})
	return &env{App: app, ctx: t.Context(), clock: clock, store: store}
}

// passwordOf is the password the helpers give every account they make.
func passwordOf(username string) string { return "pw-of-" + username }

// user makes an active account with role and returns it as stored.
func (e *env) user(t *testing.T, username string, role domain.Role) *domain.User {
	t.Helper()
	u, err := e.CreateUser.Handle(e.ctx, application.CreateUser{Username: username, Password: passwordOf(username), Role: role.String()})
	require.NoError(t, err)
	return e.reload(t, u)
}

// reload returns u as storage has it now (a fresh role, active flag, ...).
func (e *env) reload(t *testing.T, u *domain.User) *domain.User {
	t.Helper()
	fresh, err := e.store.Users.Get(e.ctx, u.ID())
	require.NoError(t, err)
	return fresh
}

// logIn starts a session for u and returns its token.
func (e *env) logIn(t *testing.T, u *domain.User) string {
	t.Helper()
	in, err := e.LogIn.Handle(e.ctx, application.LogIn{Username: u.Username(), Password: passwordOf(u.Username())})
	require.NoError(t, err)
	return in.Token
}

// ticket submits a ticket of type repair by owner and returns it as stored.
func (e *env) ticket(t *testing.T, owner *domain.User, title string) *domain.Ticket {
	t.Helper()
	return e.ticketOfType(t, owner, title, "repair")
}

func (e *env) ticketOfType(t *testing.T, owner *domain.User, title, typ string) *domain.Ticket {
	t.Helper()
	tk, err := e.SubmitTicket.Handle(e.ctx, application.SubmitTicket{Actor: owner, Title: title, Text: "text of " + title, Type: typ})
	require.NoError(t, err)
	return e.stored(t, tk.ID())
}

// stored returns ticket id as storage has it now.
func (e *env) stored(t *testing.T, id int64) *domain.Ticket {
	t.Helper()
	tk, err := e.store.Tickets.Get(e.ctx, id)
	require.NoError(t, err)
	return tk
}

// events returns the stored events of kind, oldest first.
func (e *env) events(t *testing.T, kind string) []domain.Event {
	t.Helper()
	stored, err := e.store.Events.ListEvents(e.ctx, []string{kind}, 0, application.MaxPageSize)
	require.NoError(t, err)
	out := make([]domain.Event, len(stored))
	for i, s := range stored {
		out[len(stored)-1-i] = s.Event
	}
	return out
}

// userCount returns how many accounts are stored.
func (e *env) userCount(t *testing.T) int {
	t.Helper()
	p, err := e.store.Users.List(e.ctx, application.UserFilter{})
	require.NoError(t, err)
	return p.Total
}

// titles lists the titles of tickets, in order.
func titles(ts []*domain.Ticket) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Title()
	}
	return out
}

// usernames lists the usernames of users, in order.
func usernames(us []*domain.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Username()
	}
	return out
}

// commentTexts lists the texts of comments, in order.
func commentTexts(cs []domain.Comment) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Text
	}
	return out
}

// requireValidation asserts that err is exactly the given validation errors.
func requireValidation(t *testing.T, err error, want ...domain.ValidationError) {
	t.Helper()
	require.Error(t, err)
	got, ok := domain.AsValidation(err)
	require.True(t, ok, "want a validation error, got %v", err)
	require.Equal(t, domain.ValidationErrors(want), got)
}
