package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
	"crm/domain"
	"crm/test/dbtest"
)

// On PostgreSQL a submission is one statement (the ticket, and its event
// by a data-modifying WITH): the event it stores is the one the general
// way stores, with the ticket's id in its payload and stream, and a
// ticket with more than its submission (here a file) still goes the
// general way, in one transaction.
func TestPostgresSubmissionIsOneStatement(t *testing.T) {
	t.Parallel()
	db := dbtest.Postgres(t)
	st := sqlstore.New(db, sqlstore.Postgres)
	users, tickets, events := sqlstore.NewUsers(st), sqlstore.NewTickets(st), sqlstore.NewEventLog(st)
	now := time.Date(2025, 3, 1, 9, 30, 0, 123456000, time.UTC)
	owner, err := domain.NewUser("alice", "hash", domain.RoleUser, now)
	require.NoError(t, err)
	require.NoError(t, users.Add(t.Context(), owner))

	var mu sync.Mutex
	var ran []string
	st.OnQuery(func(_ context.Context, q string, _ []any) {
		mu.Lock()
		defer mu.Unlock()
		ran = append(ran, strings.Join(strings.Fields(q), " "))
	})
	t.Cleanup(func() { st.OnQuery(nil) })
	statements := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := ran
		ran = nil
		return out
	}

	tk, err := domain.NewTicket(owner, "Принтер жуёт бумагу", "Каждый второй лист", domain.TypeRepair.String(), now)
	require.NoError(t, err)
	tk.StartTargets(domain.DefaultSLAPolicy(domain.TypeRepair))
	require.NoError(t, tickets.Add(t.Context(), tk))
	require.NotZero(t, tk.ID())
	assert.Len(t, statements(), 1, "a submission's statements")

	stored, err := events.ListEvents(t.Context(), nil, 0, 10)
	require.NoError(t, err)
	require.Len(t, stored, 1)
	want := tk.Events()[0]
	assert.Equal(t, want, stored[0].Event, "the stored event, its ticket id set")
	assert.Equal(t, want.StreamKey(), stored[0].Stream)
	assert.Equal(t, domain.KindTicketSubmitted, stored[0].Kind)
	assert.True(t, now.Equal(stored[0].At), "the event's time: %v", stored[0].At)
	got, err := tickets.Get(t.Context(), tk.ID())
	require.NoError(t, err)
	assert.Equal(t, "Принтер жуёт бумагу", got.Title())
	assert.Equal(t, tk.Targets(), got.Targets())

	content := []byte("paper jam")
	file := domain.Upload{Name: "note.txt", ContentType: "text/plain", Content: content,
		SHA256: fmt.Sprintf("%x", sha256.Sum256(content))}
	withFile, err := domain.NewTicket(owner, "Сканер", "Не сканирует", domain.TypeRepair.String(), now, file)
	require.NoError(t, err)
	require.NoError(t, tickets.Add(t.Context(), withFile))
	assert.Greater(t, len(statements()), 1, "a ticket with a file goes the general way")
	stored, err = events.ListEvents(t.Context(), nil, 0, 10)
	require.NoError(t, err)
	require.Len(t, stored, 2)
	assert.Equal(t, withFile.Events()[0], stored[0].Event)
	got, err = tickets.Get(t.Context(), withFile.ID())
	require.NoError(t, err)
	assert.Len(t, got.Attachments(), 1)
}
