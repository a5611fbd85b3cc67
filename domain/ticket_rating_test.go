package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

func TestTicketRate(t *testing.T) {
	tk := ticketIn(domain.StatusClosed)
	at := t0.Add(time.Hour).In(time.FixedZone("MSK", 3*60*60))

	require.NoError(t, tk.Rate(owner, 5, at))

	assert.Equal(t, 5, tk.Rating())
	assert.Equal(t, t0.Add(time.Hour), tk.RatedAt())
	assert.Equal(t, time.UTC, tk.RatedAt().Location())
	assert.Equal(t, []domain.Event{domain.TicketRated{TicketID: 10, OwnerID: owner.ID(), Title: "Пропал звук",
		Stars: 5, ByID: owner.ID(), ByName: owner.Username(), At: t0.Add(time.Hour)}}, tk.Events())
	assert.Equal(t, "ticket:10", tk.Events()[0].StreamKey())
	assert.Equal(t, domain.KindTicketRated, tk.Events()[0].EventKind())
}

func TestTicketRatingChangesUntilTheTicketReopens(t *testing.T) {
	tk := ticketIn(domain.StatusClosed)
	require.NoError(t, tk.Rate(owner, 2, t0))

	require.NoError(t, tk.Rate(owner, 4, t0.Add(time.Minute)))
	require.NoError(t, tk.Rate(owner, 4, t0.Add(2*time.Minute)), "the same stars again")

	assert.Equal(t, 4, tk.Rating())
	assert.Equal(t, t0.Add(time.Minute), tk.RatedAt(), "the same stars again record nothing")
	events := tk.Events()
	require.Len(t, events, 2)
	assert.Equal(t, 2, events[1].(domain.TicketRated).Previous)

	require.NoError(t, tk.ChangeStatus(owner, domain.StatusOpen, "", t0.Add(time.Hour)))
	assert.Zero(t, tk.Rating(), "reopening ends the rated closing")
	assert.ErrorIs(t, tk.Rate(owner, 3, t0.Add(2*time.Hour)), domain.ErrNotRated)

	require.NoError(t, tk.ChangeStatus(staff, domain.StatusClosed, "", t0.Add(3*time.Hour)))
	assert.Zero(t, tk.Rating(), "a new closing starts unrated")
	require.NoError(t, tk.Rate(owner, 3, t0.Add(4*time.Hour)))
	assert.Equal(t, 3, tk.Rating())
}

func TestTicketRateRefusals(t *testing.T) {
	tests := []struct {
		name   string
		status domain.Status
		by     *domain.User
		stars  int
		want   error
	}{
		{"staff", domain.StatusClosed, staff, 5, domain.ErrForbidden},
		{"a stranger", domain.StatusClosed, stranger, 5, domain.ErrForbidden},
		{"an open ticket", domain.StatusOpen, owner, 5, domain.ErrNotRated},
		{"a ticket in progress", domain.StatusInProgress, owner, 5, domain.ErrNotRated},
		{"no stars", domain.StatusClosed, owner, 0, domain.ValidationError{Field: "stars", Code: domain.CodeInvalid}},
		{"six stars", domain.StatusClosed, owner, 6, domain.ValidationError{Field: "stars", Code: domain.CodeInvalid}},
		{"negative stars", domain.StatusClosed, owner, -1, domain.ValidationError{Field: "stars", Code: domain.CodeInvalid}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tk := ticketIn(tc.status)

			err := tk.Rate(tc.by, tc.stars, t0.Add(time.Hour))

			assert.ErrorIs(t, err, tc.want)
			assert.Zero(t, tk.Rating())
			assert.Empty(t, tk.Events())
			assert.Equal(t, t0, tk.UpdatedAt())
		})
	}
}

func TestRehydrateRating(t *testing.T) {
	tk := ticketIn(domain.StatusClosed).RehydrateRating(3, t0.In(time.FixedZone("MSK", 3*60*60)))

	assert.Equal(t, 3, tk.Rating())
	assert.Equal(t, t0, tk.RatedAt())
	assert.Equal(t, time.UTC, tk.RatedAt().Location())
	assert.Empty(t, tk.Events())
}
