package sqlstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
	"crm/test/dbtest"
)

// A file is read in chunks, each fetched when the one before is used up;
// one deleted while it is read ends the reading with io.ErrUnexpectedEOF,
// never with a short file that looks whole.
func TestFilesReadInChunks(t *testing.T) {
	for _, b := range []struct {
		name    string
		dialect *Dialect
		open    func(testing.TB) *sqlx.DB
	}{
		{"sqlite", SQLite, dbtest.SQLite},
		{"postgres", Postgres, dbtest.Postgres},
	} {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := New(b.open(t), b.dialect)
			files := NewFiles(s)
			files.chunk = 4
			content := []byte("0123456789abcdef-the rest")
			sum := sha256.Sum256(content)
			hash := hex.EncodeToString(sum[:])
			staff, tk := fileTicket(t, s, domain.Upload{Name: "a.txt", ContentType: "text/plain", Content: content, SHA256: hash})

			r, err := files.Open(t.Context(), hash)
			require.NoError(t, err)
			whole, err := io.ReadAll(r)
			require.NoError(t, err)
			assert.Equal(t, content, whole)
			require.NoError(t, r.Close())

			r, err = files.Open(t.Context(), hash)
			require.NoError(t, err)
			start := make([]byte, 6)
			_, err = io.ReadFull(r, start)
			require.NoError(t, err)
			assert.Equal(t, content[:6], start)
			id := tk.Attachments()[0].ID
			require.NoError(t, NewTickets(s).Update(t.Context(), tk.ID(), func(tk *domain.Ticket) error {
				return tk.DeleteAttachment(staff, id, time.Now())
			}))
			var rest bytes.Buffer
			_, err = io.Copy(&rest, r)
			require.ErrorIs(t, err, io.ErrUnexpectedEOF)
			assert.Equal(t, content[6:8], rest.Bytes(), "the chunk fetched before the deletion, then nothing")
		})
	}
}

// fileTicket stores a ticket carrying u, by a new user, and returns a
// staff member and the ticket as stored.
func fileTicket(t *testing.T, s *Store, u domain.Upload) (*domain.User, *domain.Ticket) {
	t.Helper()
	users := NewUsers(s)
	owner, err := domain.NewUser("owner", "hash", domain.RoleUser, time.Now())
	require.NoError(t, err)
	require.NoError(t, users.Add(t.Context(), owner))
	staff, err := domain.NewUser("staff", "hash", domain.RoleStaff, time.Now())
	require.NoError(t, err)
	require.NoError(t, users.Add(t.Context(), staff))
	tk, err := domain.NewTicket(owner, "title", "text", "repair", time.Now(), u)
	require.NoError(t, err)
	tickets := NewTickets(s)
	require.NoError(t, tickets.Add(t.Context(), tk))
	stored, err := tickets.Get(t.Context(), tk.ID())
	require.NoError(t, err)
	return staff, stored
}
