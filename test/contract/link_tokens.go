package contract

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// LinkTokens is the contract of application.LinkTokens.
func LinkTokens(t *testing.T, newStore Factory) {
	token := func(u *domain.User, hash string, issued time.Time) domain.LinkToken {
		return domain.LinkToken{TokenHash: hash, UserID: u.ID(), CreatedAt: issued, ExpiresAt: issued.Add(application.LinkTokenLifetime)}
	}

	t.Run("an issued token is consumed once", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "h1", at(0))))

		got, err := s.LinkTokens.Consume(t.Context(), "h1", at(1))
		require.NoError(t, err)
		assert.Equal(t, domain.LinkToken{TokenHash: "h1", UserID: u.ID(), CreatedAt: micro(at(0)),
			ExpiresAt: micro(at(15)), UsedAt: micro(at(1))}, got)

		_, err = s.LinkTokens.Consume(t.Context(), "h1", at(2))
		assert.ErrorIs(t, err, domain.ErrLinkTokenUsed)
	})

	t.Run("an unknown token is invalid", func(t *testing.T) {
		s := newStore(t)
		_, err := s.LinkTokens.Consume(t.Context(), "nope", at(0))
		assert.ErrorIs(t, err, domain.ErrLinkTokenInvalid)
	})

	t.Run("a token expires at its expiry time", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "late", at(0))))
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(addUser(t, s, "bob", domain.RoleUser), "edge", at(0))))

		_, err := s.LinkTokens.Consume(t.Context(), "late", at(15))
		assert.ErrorIs(t, err, domain.ErrLinkTokenExpired)
		_, err = s.LinkTokens.Consume(t.Context(), "late", at(15).Add(time.Microsecond))
		assert.ErrorIs(t, err, domain.ErrLinkTokenExpired, "and stays expired")
		_, err = s.LinkTokens.Consume(t.Context(), "edge", at(15).Add(-time.Microsecond))
		assert.NoError(t, err, "good until the last microsecond")
	})

	t.Run("a new token expires the user's unused ones only", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleUser)
		bob := addUser(t, s, "bob", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "spent", at(0))))
		_, err := s.LinkTokens.Consume(t.Context(), "spent", at(1))
		require.NoError(t, err)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "old", at(2))))
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(bob, "bobs", at(2))))

		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "new", at(3))))

		_, err = s.LinkTokens.Consume(t.Context(), "old", at(4))
		assert.ErrorIs(t, err, domain.ErrLinkTokenExpired)
		_, err = s.LinkTokens.Consume(t.Context(), "spent", at(4))
		assert.ErrorIs(t, err, domain.ErrLinkTokenUsed, "a spent one stays spent")
		_, err = s.LinkTokens.Consume(t.Context(), "bobs", at(4))
		assert.NoError(t, err, "another user's token is untouched")
		got, err := s.LinkTokens.Consume(t.Context(), "new", at(4))
		require.NoError(t, err)
		assert.Equal(t, alice.ID(), got.UserID)
	})

	t.Run("of concurrent consumers one wins", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "race", at(0))))
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { _, errs[i] = s.LinkTokens.Consume(t.Context(), "race", at(1)) })
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
		u := addUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "dup", at(0))))
		err := s.LinkTokens.Issue(t.Context(), token(u, "dup", at(1)))
		assert.Error(t, err)
		assert.False(t, errors.Is(err, domain.ErrLinkTokenInvalid))
	})

	t.Run("DeleteStale deletes the tokens that expired before before, used or not", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleUser)
		bob := addUser(t, s, "bob", domain.RoleUser)
		carol := addUser(t, s, "carol", domain.RoleUser)
		// Issued at minute 0, 10 and 20: they expire at 15, 25 and 35.
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "spent-early", at(0))))
		_, err := s.LinkTokens.Consume(t.Context(), "spent-early", at(1))
		require.NoError(t, err)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(bob, "unused", at(10))))
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(carol, "spent-late", at(20))))
		_, err = s.LinkTokens.Consume(t.Context(), "spent-late", at(34))
		require.NoError(t, err)
		// Replaced at minute 30: it expires then, not at 44.
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "replaced", at(29))))
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(alice, "current", at(30))))

		n, err := s.LinkTokens.DeleteStale(t.Context(), at(30))
		require.NoError(t, err)
		assert.Equal(t, 2, n)

		_, err = s.LinkTokens.Consume(t.Context(), "spent-early", at(31))
		assert.ErrorIs(t, err, domain.ErrLinkTokenInvalid, "a used token that expired before is gone")
		_, err = s.LinkTokens.Consume(t.Context(), "unused", at(31))
		assert.ErrorIs(t, err, domain.ErrLinkTokenInvalid, "an unused token that expired before is gone")
		_, err = s.LinkTokens.Consume(t.Context(), "replaced", at(31))
		assert.ErrorIs(t, err, domain.ErrLinkTokenExpired, "a token that expired at before is kept")
		_, err = s.LinkTokens.Consume(t.Context(), "spent-late", at(31))
		assert.ErrorIs(t, err, domain.ErrLinkTokenUsed, "a used token that expires later is kept")
		got, err := s.LinkTokens.Consume(t.Context(), "current", at(31))
		require.NoError(t, err, "a live token is kept")
		assert.Equal(t, alice.ID(), got.UserID)

		n, err = s.LinkTokens.DeleteStale(t.Context(), at(30))
		require.NoError(t, err)
		assert.Zero(t, n, "nothing is left to delete")
	})

	t.Run("DeleteStale compares at the microsecond", func(t *testing.T) {
		s := newStore(t)
		u := addUser(t, s, "alice", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "edge", at(0))))
		expires := micro(at(0).Add(application.LinkTokenLifetime))

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
			u := addUser(t, s, "user"+strconv.Itoa(i), domain.RoleUser)
			require.NoError(t, s.LinkTokens.Issue(t.Context(), token(u, "old-"+strconv.Itoa(i), at(i))))
		}
		keeper := addUser(t, s, "keeper", domain.RoleUser)
		require.NoError(t, s.LinkTokens.Issue(t.Context(), token(keeper, "live", at(60))))

		counts := make([]int, 4)
		errs := make([]error, len(counts))
		var wg sync.WaitGroup
		for i := range counts {
			wg.Go(func() { counts[i], errs[i] = s.LinkTokens.DeleteStale(t.Context(), at(60)) })
		}
		wg.Wait()

		total := 0
		for i, err := range errs {
			require.NoError(t, err)
			total += counts[i]
		}
		assert.Equal(t, stale, total)
		_, err := s.LinkTokens.Consume(t.Context(), "live", at(61))
		assert.NoError(t, err)
	})
}
