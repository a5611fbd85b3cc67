package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// storedPair returns the duplicate #10 and the target #20 of owner, each
// with a stored history step, comment and file, with ids that interleave
// as storage would have given them.
func storedPair() (dup, into *domain.Ticket) {
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	dup = domain.RehydrateTicket(10, owner.ID(), owner.Username(), "Нет звука", "Снова", domain.TypeRepair,
		domain.StatusInProgress, 0, "", at(0), at(3),
		[]domain.StatusChange{{ID: 2, ByID: staff.ID(), ByName: "staff", From: domain.StatusOpen, To: domain.StatusInProgress, At: at(3)}},
		[]domain.Comment{{ID: 5, AuthorID: owner.ID(), AuthorName: "owner", Text: "дубль", At: at(2)}}).
		RehydrateAttachments([]domain.Attachment{{ID: 8, CommentID: 5, Name: "a.png", At: at(2)}})
	into = domain.RehydrateTicket(20, owner.ID(), owner.Username(), "Пропал звук", "Нет звука", domain.TypeRepair,
		domain.StatusOpen, 0, "", at(0), at(4),
		[]domain.StatusChange{{ID: 1, ByID: staff.ID(), ByName: "staff", From: domain.StatusClosed, To: domain.StatusOpen, At: at(1)}},
		[]domain.Comment{{ID: 4, AuthorID: staff.ID(), AuthorName: "staff", Text: "смотрим", At: at(1)},
			{ID: 6, AuthorID: staff.ID(), AuthorName: "staff", Text: "ещё", At: at(4)}}).
		RehydrateAttachments([]domain.Attachment{{ID: 9, CommentID: 6, Name: "b.pdf", At: at(4)}})
	return dup, into
}

func TestMergeTicketsMovesEverythingAndClosesTheDuplicate(t *testing.T) {
	dup, into := storedPair()
	now := t0.Add(time.Hour)

	require.NoError(t, domain.MergeTickets(staff, dup, into, now))

	assert.Equal(t, domain.StatusClosed, dup.Status())
	assert.Equal(t, int64(20), dup.MergedInto())
	assert.Empty(t, dup.Comments())
	assert.Empty(t, dup.Attachments())
	require.Len(t, dup.History(), 1, "the duplicate keeps only the step that closed it")
	assert.Equal(t, domain.StatusChange{ByID: staff.ID(), ByName: "staff", From: domain.StatusInProgress,
		To: domain.StatusClosed, At: now, MergedInto: 20}, dup.History()[0])

	assert.Zero(t, into.MergedInto())
	assert.Equal(t, domain.StatusOpen, into.Status(), "the target keeps its status")
	var commentIDs, historyIDs, fileIDs []int64
	for _, c := range into.Comments() {
		commentIDs = append(commentIDs, c.ID)
	}
	for _, h := range into.History() {
		historyIDs = append(historyIDs, h.ID)
	}
	for _, a := range into.Attachments() {
		fileIDs = append(fileIDs, a.ID)
	}
	assert.Equal(t, []int64{4, 5, 6}, commentIDs, "moved comments keep their place in time")
	assert.Equal(t, []int64{1, 2, 0}, historyIDs, "the merge step comes last")
	assert.Equal(t, []int64{8, 9}, fileIDs)
	last := into.History()[2]
	assert.Equal(t, int64(10), last.MergedFrom)
	assert.Equal(t, domain.StatusOpen, last.From)
	assert.Equal(t, domain.StatusOpen, last.To)
	assert.Equal(t, now, into.UpdatedAt())

	assert.Equal(t, []domain.Event{domain.TicketMerged{TicketID: 10, IntoID: 20, OwnerID: owner.ID(),
		Title: "Нет звука", IntoTitle: "Пропал звук", Comments: 1, Files: 1, ByID: staff.ID(), ByName: "staff", At: now}},
		dup.Events(), "one event, no status change of its own")
	assert.Empty(t, into.Events())
}

func TestMergeTicketsRefusals(t *testing.T) {
	otherOwners := func() (*domain.Ticket, *domain.Ticket) {
		dup, _ := storedPair()
		into := domain.RehydrateTicket(30, stranger.ID(), stranger.Username(), "Чужая", "заявка", domain.TypeRepair,
			domain.StatusOpen, 0, "", t0, t0, nil, nil)
		return dup, into
	}
	mergedAway := func() (*domain.Ticket, *domain.Ticket) {
		dup, into := storedPair()
		require.NoError(t, domain.MergeTickets(staff, into, domain.RehydrateTicket(40, owner.ID(), "owner",
			"x", "y", domain.TypeRepair, domain.StatusOpen, 0, "", t0, t0, nil, nil), t0))
		return dup, into
	}
	alreadyMerged := func() (*domain.Ticket, *domain.Ticket) {
		dup, into := storedPair()
		require.NoError(t, domain.MergeTickets(staff, dup, into, t0))
		_, again := storedPair()
		return dup, again
	}
	for _, tc := range []struct {
		name string
		by   *domain.User
		pair func() (*domain.Ticket, *domain.Ticket)
		want error
	}{
		{"the owner", owner, storedPair, domain.ErrForbidden},
		{"into itself", staff, func() (*domain.Ticket, *domain.Ticket) { d, _ := storedPair(); return d, d }, domain.ErrMergeIntoSelf},
		{"across owners", admin, otherOwners, domain.ErrMergeAcrossOwners},
		{"into a ticket merged away", staff, mergedAway, domain.ErrMergedAway},
		{"a duplicate merged already", staff, alreadyMerged, domain.ErrMergedAway},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dup, into := tc.pair()
			dupHistory, intoHistory, intoComments := dup.History(), into.History(), into.Comments()
			dupStatus := dup.Status()

			err := domain.MergeTickets(tc.by, dup, into, t0.Add(time.Hour))

			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, dupStatus, dup.Status())
			assert.Equal(t, dupHistory, dup.History())
			assert.Equal(t, intoHistory, into.History())
			assert.Equal(t, intoComments, into.Comments())
		})
	}
}

func TestMergedTicketTakesNoMoreChanges(t *testing.T) {
	dup, into := storedPair()
	require.NoError(t, domain.MergeTickets(staff, dup, into, t0))

	assert.ErrorIs(t, dup.AddComment(owner, "ещё вопрос", false, t0), domain.ErrMergedAway)
	assert.ErrorIs(t, dup.ChangeStatus(staff, domain.StatusOpen, "", t0), domain.ErrMergedAway)
	assert.Equal(t, domain.StatusClosed, dup.Status())
	require.NoError(t, into.AddComment(owner, "ещё вопрос", false, t0), "the thread goes on in the target")
}
