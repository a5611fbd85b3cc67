package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
	"crm/test/testclock"
)

// cleanUpFixture is storage holding, around t0, one expired and one live
// session, and one stale and one kept link token.
type cleanUpFixture struct {
	sessions *memory.Sessions
	tokens   *memory.LinkTokens
	clock    *testclock.Manual
}

func newCleanUpFixture(t *testing.T) cleanUpFixture {
	t.Helper()
	f := cleanUpFixture{sessions: memory.NewSessions(), tokens: memory.NewLinkTokens(), clock: testclock.NewManual(t0)}
	for hash, expires := range map[string]time.Time{"expired": t0, "live": t0.Add(time.Hour)} {
		require.NoError(t, f.sessions.Create(t.Context(), domain.Session{TokenHash: hash, UserID: 1, CreatedAt: expires.Add(-24 * time.Hour), ExpiresAt: expires}))
	}
	for i, tk := range []struct {
		hash    string
		expires time.Time
	}{
		{"stale", t0.Add(-application.LinkTokenKeep - time.Second)},
		{"kept", t0.Add(-application.LinkTokenKeep)},
	} {
		require.NoError(t, f.tokens.Issue(t.Context(), domain.LinkToken{TokenHash: tk.hash, UserID: int64(i + 1),
			CreatedAt: tk.expires.Add(-application.LinkTokenLifetime), ExpiresAt: tk.expires}))
	}
	return f
}

// sessionFound reports whether the session hash is still stored.
func (f cleanUpFixture) sessionFound(t *testing.T, hash string) bool {
	t.Helper()
	_, err := f.sessions.Get(t.Context(), hash)
	if errors.Is(err, domain.ErrSessionNotFound) {
		return false
	}
	require.NoError(t, err)
	return true
}

// tokenFound reports whether the link token hash is still stored: a stored
// one is refused as expired, a deleted one as unknown.
func (f cleanUpFixture) tokenFound(t *testing.T, hash string) bool {
	t.Helper()
	_, err := f.tokens.Consume(t.Context(), hash, t0)
	if errors.Is(err, domain.ErrLinkTokenInvalid) {
		return false
	}
	require.ErrorIs(t, err, domain.ErrLinkTokenExpired)
	return true
}

// failingSessions fails DeleteExpired with err when it is set.
type failingSessions struct {
	application.Sessions
	err error
}

func (s failingSessions) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	return s.Sessions.DeleteExpired(ctx, now)
}

// failingLinkTokens fails DeleteStale with err when it is set.
type failingLinkTokens struct {
	application.LinkTokens
	err error
}

func (s failingLinkTokens) DeleteStale(ctx context.Context, before time.Time) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	return s.LinkTokens.DeleteStale(ctx, before)
}

func TestCleanUp(t *testing.T) {
	errSessions, errTokens := errors.New("sessions table locked"), errors.New("link tokens table locked")
	cases := []struct {
		name                   string
		sessionsErr, tokensErr error
		want                   application.CleanedUp
	}{
		{name: "deletes expired sessions and stale link tokens", want: application.CleanedUp{Sessions: 1, LinkTokens: 1}},
		{name: "link tokens are cleaned up when sessions fail", sessionsErr: errSessions, want: application.CleanedUp{LinkTokens: 1}},
		{name: "sessions are cleaned up when link tokens fail", tokensErr: errTokens, want: application.CleanedUp{Sessions: 1}},
		{name: "both failing report both", sessionsErr: errSessions, tokensErr: errTokens},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newCleanUpFixture(t)
			h := application.NewCleanUpHandler(failingSessions{f.sessions, tc.sessionsErr}, failingLinkTokens{f.tokens, tc.tokensErr}, f.clock)

			got, err := h.Handle(t.Context(), application.CleanUp{})

			assert.Equal(t, tc.want, got)
			for _, want := range []error{tc.sessionsErr, tc.tokensErr} {
				if want != nil {
					assert.ErrorIs(t, err, want)
				}
			}
			if tc.sessionsErr == nil && tc.tokensErr == nil {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.sessionsErr != nil, f.sessionFound(t, "expired"), "the expired session")
			assert.True(t, f.sessionFound(t, "live"), "the live session")
			assert.Equal(t, tc.tokensErr != nil, f.tokenFound(t, "stale"), "the stale token")
			assert.True(t, f.tokenFound(t, "kept"), "a token is kept LinkTokenKeep after it expired")
		})
	}
}

func TestCleanUpUsesTheClock(t *testing.T) {
	f := newCleanUpFixture(t)
	h := application.NewCleanUpHandler(f.sessions, f.tokens, f.clock)
	f.clock.Advance(time.Hour)

	got, err := h.Handle(t.Context(), application.CleanUp{})

	require.NoError(t, err)
	assert.Equal(t, application.CleanedUp{Sessions: 2, LinkTokens: 2}, got)
}
