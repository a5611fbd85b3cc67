package contract

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// SavedReplies is the contract of application.SavedReplies.
func SavedReplies(t *testing.T, newStore Factory) {
	add := func(t *testing.T, s Store, author *domain.User, name string, shared bool) domain.SavedReply {
		t.Helper()
		r, err := domain.NewSavedReply(author, name, "Hello {owner}, about #{ticket}", shared, atMoscow(0))
		require.NoError(t, err)
		require.NoError(t, s.SavedReplies.Add(t.Context(), &r))
		require.NotZero(t, r.ID, "Add sets the id")
		return r
	}
	names := func(rs []domain.SavedReply) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.Name
		}
		return out
	}

	t.Run("Add then Get returns the reply with its author's name, in UTC", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleStaff)
		made := add(t, s, alice, "Приветствие", true)

		got, err := s.SavedReplies.Get(t.Context(), made.ID)
		require.NoError(t, err)
		assert.Equal(t, domain.SavedReply{ID: made.ID, Name: "Приветствие", Text: "Hello {owner}, about #{ticket}",
			Shared: true, AuthorID: alice.ID(), AuthorName: "alice",
			CreatedAt: micro(atMoscow(0)), UpdatedAt: micro(atMoscow(0))}, got)
		assert.Equal(t, time.UTC, got.CreatedAt.Location())
		assert.Equal(t, got, made, "Add leaves the reply as stored")
	})

	t.Run("an unknown id is not found", func(t *testing.T) {
		s := newStore(t)
		_, err := s.SavedReplies.Get(t.Context(), 999)
		assert.ErrorIs(t, err, domain.ErrSavedReplyNotFound)
		assert.ErrorIs(t, s.SavedReplies.Delete(t.Context(), 999), domain.ErrSavedReplyNotFound)
		err = s.SavedReplies.Update(t.Context(), 999, func(*domain.SavedReply) error { return nil })
		assert.ErrorIs(t, err, domain.ErrSavedReplyNotFound)
	})

	t.Run("a name is unique in its scope, in any case", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleStaff)
		bob := addUser(t, s, "bob", domain.RoleStaff)
		add(t, s, alice, "Привет", true)
		add(t, s, alice, "Привет", false)
		add(t, s, bob, "Привет", false)
		for _, c := range []struct {
			author *domain.User
			shared bool
		}{{bob, true}, {alice, false}, {bob, false}} {
			r, err := domain.NewSavedReply(c.author, "ПРИВЕТ", "text", c.shared, atMoscow(1))
			require.NoError(t, err)
			assert.ErrorIs(t, s.SavedReplies.Add(t.Context(), &r), domain.ErrSavedReplyNameTaken)
		}
		list, err := s.SavedReplies.ListFor(t.Context(), alice.ID())
		require.NoError(t, err)
		assert.Len(t, list, 2, "nothing more was stored")
	})

	t.Run("ListFor gives the shared replies and the user's own, by name", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleStaff)
		bob := addUser(t, s, "bob", domain.RoleStaff)
		add(t, s, alice, "b shared", true)
		add(t, s, bob, "C bob's", false)
		add(t, s, alice, "a alice's", false)
		add(t, s, bob, "D shared", true)
		add(t, s, alice, "Я alice's", false)

		list, err := s.SavedReplies.ListFor(t.Context(), alice.ID())
		require.NoError(t, err)
		assert.Equal(t, []string{"a alice's", "b shared", "D shared", "Я alice's"}, names(list))
		list, err = s.SavedReplies.ListFor(t.Context(), bob.ID())
		require.NoError(t, err)
		assert.Equal(t, []string{"b shared", "C bob's", "D shared"}, names(list))
	})

	t.Run("Update saves the change, or nothing", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleStaff)
		r := add(t, s, alice, "one", false)
		add(t, s, alice, "two", true)

		require.NoError(t, s.SavedReplies.Update(t.Context(), r.ID, func(r *domain.SavedReply) error {
			return r.Change("uno", "Новый текст", false, atMoscow(5))
		}))
		got, err := s.SavedReplies.Get(t.Context(), r.ID)
		require.NoError(t, err)
		assert.Equal(t, "uno", got.Name)
		assert.Equal(t, "Новый текст", got.Text)
		assert.Equal(t, micro(atMoscow(5)), got.UpdatedAt)
		assert.Equal(t, micro(atMoscow(0)), got.CreatedAt)

		err = s.SavedReplies.Update(t.Context(), r.ID, func(r *domain.SavedReply) error {
			return r.Change("TWO", "made shared, into a taken name", true, atMoscow(6))
		})
		assert.ErrorIs(t, err, domain.ErrSavedReplyNameTaken)
		err = s.SavedReplies.Update(t.Context(), r.ID, func(r *domain.SavedReply) error {
			require.NoError(t, r.Change("three", "x", true, atMoscow(7)))
			return errBoom
		})
		assert.ErrorIs(t, err, errBoom)
		after, err := s.SavedReplies.Get(t.Context(), r.ID)
		require.NoError(t, err)
		assert.Equal(t, got, after, "a failed update changes nothing")

		require.NoError(t, s.SavedReplies.Update(t.Context(), r.ID, func(r *domain.SavedReply) error {
			return r.Change("two", "personal: its own scope", false, atMoscow(8))
		}))
	})

	t.Run("concurrent updates all apply", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleStaff)
		r := add(t, s, alice, "counter", true)
		const n = 8
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				assert.NoError(t, s.SavedReplies.Update(t.Context(), r.ID, func(r *domain.SavedReply) error {
					return r.Change(r.Name, r.Text+"+", r.Shared, atMoscow(1))
				}))
			})
		}
		wg.Wait()
		got, err := s.SavedReplies.Get(t.Context(), r.ID)
		require.NoError(t, err)
		assert.True(t, strings.HasSuffix(got.Text, strings.Repeat("+", n)), "every update saw the one before: %q", got.Text)
	})

	t.Run("Delete removes the reply and frees its name", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleStaff)
		r := add(t, s, alice, "gone", true)
		require.NoError(t, s.SavedReplies.Delete(t.Context(), r.ID))
		_, err := s.SavedReplies.Get(t.Context(), r.ID)
		assert.ErrorIs(t, err, domain.ErrSavedReplyNotFound)
		assert.ErrorIs(t, s.SavedReplies.Delete(t.Context(), r.ID), domain.ErrSavedReplyNotFound)
		add(t, s, alice, "Gone", true)
	})
}
