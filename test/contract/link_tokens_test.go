package contract_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
)

// telegramStore is one backend's ports for the Telegram suites, over one
// storage, so that the events the repositories store reach the outbox.
type telegramStore struct {
	Users      application.Users
	Tickets    application.Tickets
	LinkTokens application.LinkTokens
	Outbox     outboxPorts
}

type outboxPorts interface {
	application.Outbox
	application.Deliveries
}

type telegramFactory func(t *testing.T) telegramStore

// forEachBackend runs suite against memory, SQLite and PostgreSQL.
func forEachBackend(t *testing.T, suite func(t *testing.T, newStore telegramFactory)) {
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		suite(t, func(t *testing.T) telegramStore {
			s := memory.NewStore()
			return telegramStore{Users: s.Users, Tickets: s.Tickets, LinkTokens: memory.NewLinkTokens(), Outbox: memory.NewOutbox(s.Events)}
		})
	})
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		suite(t, func(t *testing.T) telegramStore {
			st := sqliteStore(t)
			return telegramStore{Users: sqlstore.NewUsers(st), Tickets: sqlstore.NewTickets(st),
				LinkTokens: sqlstore.NewLinkTokens(st), Outbox: sqlstore.NewOutbox(st)}
		})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		freshStore := postgresStores(t)
		suite(t, func(t *testing.T) telegramStore {
			st := freshStore(t)
			return telegramStore{Users: sqlstore.NewUsers(st), Tickets: sqlstore.NewTickets(st),
				LinkTokens: sqlstore.NewLinkTokens(st), Outbox: sqlstore.NewOutbox(st)}
		})
	})
}

// tgBase is when the Telegram suites start; its nanoseconds check that
// every adapter keeps whole microseconds.
var tgBase = time.Date(2024, 5, 1, 10, 0, 0, 987654321, time.UTC)

func tgAt(minutes int) time.Time { return tgBase.Add(time.Duration(minutes) * time.Minute) }

func tgMicro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func tgUser(t *testing.T, s telegramStore, name string, role domain.Role) *domain.User {
	t.Helper()
	u, err := domain.NewUser(name, "hash", role, tgBase)
	require.NoError(t, err)
	require.NoError(t, s.Users.Add(t.Context(), u))
	return u
}

func TestLinkTokens(t *testing.T) {
	forEachBackend(t, linkTokensSuite)
}

// linkTokensSuite is the contract of application.LinkTokens.
func linkTokensSuite(t *testing.T, newStore telegramFactory) {
	token := func(u *domain.User, hash string, issued time.Time) domain.LinkToken {
		return domain.LinkToken{TokenHash: hash, UserID: u.ID(), CreatedAt: issued, ExpiresAt: issued.Add(application.LinkTokenLifetime)}
	}

	t.Run("an issued token is consumed once", func(t *testing.T) {
		s := newStore(t)
		u := tgUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "h1", tgAt(0))))

		got, err := s.LinkTokens.Consume(t.Context(), "h1", tgAt(1))
		require.NoError(t, err)
		assert.Equal(t, domain.LinkToken{TokenHash: "h1", UserID: u.ID(), CreatedAt: tgMicro(tgAt(0)),
			ExpiresAt: tgMicro(tgAt(15)), UsedAt: tgMicro(tgAt(1))}, got)

		_, err = s.LinkTokens.Consume(t.Context(), "h1", tgAt(2))
		assert.ErrorIs(t, err, domain.ErrLinkTokenUsed)
	})

	t.Run("an unknown token is invalid", func(t *testing.T) {
		s := newStore(t)
		_, err := s.LinkTokens.Consume(t.Context(), "nope", tgAt(0))
		assert.ErrorIs(t, err, domain.ErrLinkTokenInvalid)
	})

	t.Run("a token expires at its expiry time", func(t *testing.T) {
		s := newStore(t)
		u := tgUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "late", tgAt(0))))
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(tgUser(t, s, "bob", domain.RoleUser), "edge", tgAt(0))))

		_, err := s.LinkTokens.Consume(t.Context(), "late", tgAt(15))
		assert.ErrorIs(t, err, domain.ErrLinkTokenExpired)
		_, err = s.LinkTokens.Consume(t.Context(), "late", tgAt(15).Add(time.Microsecond))
		assert.ErrorIs(t, err, domain.ErrLinkTokenExpired, "and stays expired")
		_, err = s.LinkTokens.Consume(t.Context(), "edge", tgAt(15).Add(-time.Microsecond))
		assert.NoError(t, err, "good until the last microsecond")
	})

	t.Run("a new token expires the user's unused ones only", func(t *testing.T) {
		s := newStore(t)
		alice := tgUser(t, s, "alice", domain.RoleUser)
		bob := tgUser(t, s, "bob", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "spent", tgAt(0))))
		_, err := s.LinkTokens.Consume(t.Context(), "spent", tgAt(1))
		require.NoError(t, err)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "old", tgAt(2))))
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(bob, "bobs", tgAt(2))))

		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "new", tgAt(3))))

		_, err = s.LinkTokens.Consume(t.Context(), "old", tgAt(4))
		assert.ErrorIs(t, err, domain.ErrLinkTokenExpired)
		_, err = s.LinkTokens.Consume(t.Context(), "spent", tgAt(4))
		assert.ErrorIs(t, err, domain.ErrLinkTokenUsed, "a spent one stays spent")
		_, err = s.LinkTokens.Consume(t.Context(), "bobs", tgAt(4))
		assert.NoError(t, err, "another user's token is untouched")
		got, err := s.LinkTokens.Consume(t.Context(), "new", tgAt(4))
		require.NoError(t, err)
		assert.Equal(t, alice.ID(), got.UserID)
	})

	t.Run("of concurrent consumers one wins", func(t *testing.T) {
		s := newStore(t)
		u := tgUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "race", tgAt(0))))
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { _, errs[i] = s.LinkTokens.Consume(t.Context(), "race", tgAt(1)) })
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			if err == nil {
				wins++
			} else {
				assert.ErrorIs(t, err, domain.ErrLinkTokenUsed)
			}
		}
		assert.Equal(t, 1, wins)
	})

	t.Run("a hash is stored once", func(t *testing.T) {
		s := newStore(t)
		u := tgUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "dup", tgAt(0))))
		err := s.LinkTokens.Issue(t.Context(), token(u, "dup", tgAt(1)))
		assert.Error(t, err)
		assert.False(t, errors.Is(err, domain.ErrLinkTokenInvalid))
	})

	t.Run("DeleteStale deletes the tokens that expired before before, used or not", func(t *testing.T) {
		s := newStore(t)
		alice := tgUser(t, s, "alice", domain.RoleUser)
		bob := tgUser(t, s, "bob", domain.RoleUser)
		carol := tgUser(t, s, "carol", domain.RoleUser)
		// Issued at minute 0, 10 and 20: they expire at 15, 25 and 35.
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "spent-early", tgAt(0))))
		_, err := s.LinkTokens.Consume(t.Context(), "spent-early", tgAt(1))
		require.NoError(t, err)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(bob, "unused", tgAt(10))))
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(carol, "spent-late", tgAt(20))))
		_, err = s.LinkTokens.Consume(t.Context(), "spent-late", tgAt(34))
		require.NoError(t, err)
		// Replaced at minute 30: it expires then, not at 44.
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "replaced", tgAt(29))))
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "current", tgAt(30))))

		n, err := s.LinkTokens.DeleteStale(t.Context(), tgAt(30))
		require.NoError(t, err)
		assert.Equal(t, 2, n)

		_, err = s.LinkTokens.Consume(t.Context(), "spent-early", tgAt(31))
		assert.ErrorIs(t, err, domain.ErrLinkTokenInvalid, "a used token that expired before is gone")
		_, err = s.LinkTokens.Consume(t.Context(), "unused", tgAt(31))
		assert.ErrorIs(t, err, domain.ErrLinkTokenInvalid, "an unused token that expired before is gone")
		_, err = s.LinkTokens.Consume(t.Context(), "replaced", tgAt(31))
		assert.ErrorIs(t, err, domain.ErrLinkTokenExpired, "a token that expired at before is kept")
		_, err = s.LinkTokens.Consume(t.Context(), "spent-late", tgAt(31))
		assert.ErrorIs(t, err, domain.ErrLinkTokenUsed, "a used token that expires later is kept")
		got, err := s.LinkTokens.Consume(t.Context(), "current", tgAt(31))
		require.NoError(t, err, "a live token is kept")
		assert.Equal(t, alice.ID(), got.UserID)

		n, err = s.LinkTokens.DeleteStale(t.Context(), tgAt(30))
		require.NoError(t, err)
		assert.Zero(t, n, "nothing is left to delete")
	})

	t.Run("DeleteStale compares at the microsecond", func(t *testing.T) {
		s := newStore(t)
		u := tgUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "edge", tgAt(0))))
		expires := tgMicro(tgAt(0).Add(application.LinkTokenLifetime))

		n, err := s.LinkTokens.DeleteStale(t.Context(), expires)
		require.NoError(t, err)
		assert.Zero(t, n, "not before its expiry")

		n, err = s.LinkTokens.DeleteStale(t.Context(), expires.Add(time.Microsecond))
		require.NoError(t, err)
		assert.Equal(t, 1, n, "a microsecond after")
	})

	t.Run("concurrent DeleteStale calls delete each token once", func(t *testing.T) {
		s := newStore(t)
		const stale = 10
		for i := range stale {
			u := tgUser(t, s, "user"+strconv.Itoa(i), domain.RoleUser)
			require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "old-"+strconv.Itoa(i), tgAt(i))))
		}
		keeper := tgUser(t, s, "keeper", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(keeper, "live", tgAt(60))))

		counts := make([]int, 4)
		errs := make([]error, len(counts))
		var wg sync.WaitGroup
		for i := range counts {
			wg.Go(func() { counts[i], errs[i] = s.LinkTokens.DeleteStale(t.Context(), tgAt(60)) })
		}
		wg.Wait()

		total := 0
		for i, err := range errs {
			require.NoError(t, err)
			total += counts[i]
		}
		assert.Equal(t, stale, total)
		_, err := s.LinkTokens.Consume(t.Context(), "live", tgAt(61))
		assert.NoError(t, err)
	})
}
