package domain_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// oneOfEachEvent holds an event of every kind, every field set.
var oneOfEachEvent = []struct {
	event  domain.Event
	kind   string
	stream string
}{
	{domain.TicketSubmitted{TicketID: 12, OwnerID: 1, OwnerName: "owner", Title: "Пропал звук", Type: "repair", At: t0},
		domain.KindTicketSubmitted, "ticket:12"},
	{domain.TicketStatusChanged{TicketID: 12, OwnerID: 1, Title: "Пропал звук", From: "open", To: "closed",
		ByID: 3, ByName: "staff", Comment: "Готово", At: t0}, domain.KindTicketStatusChanged, "ticket:12"},
	{domain.TicketAssigned{TicketID: 12, OwnerID: 1, AssigneeID: 3, AssigneeName: "staff", ByID: 4, ByName: "admin", At: t0},
		domain.KindTicketAssigned, "ticket:12"},
	{domain.CommentAdded{TicketID: 12, OwnerID: 1, Title: "Пропал звук", AuthorID: 3, AuthorName: "staff",
		Text: "<b>заметка</b>", Internal: true, At: t0}, domain.KindCommentAdded, "ticket:12"},
	{domain.TicketMerged{TicketID: 12, IntoID: 9, OwnerID: 1, Title: "Пропал звук", IntoTitle: "Нет звука",
		Comments: 2, Files: 1, ByID: 3, ByName: "staff", At: t0}, domain.KindTicketMerged, "ticket:12"},
	{domain.TelegramLinked{UserID: 1, ChatID: -100123, At: t0}, domain.KindTelegramLinked, "user:1"},
	{domain.UserRoleChanged{UserID: 5, Username: "bob", ByID: 4, ByName: "admin", From: "user", To: "staff", At: t0},
		domain.KindUserRoleChanged, "user:5"},
	{domain.UserActiveChanged{UserID: 5, Username: "bob", ByID: 4, ByName: "admin", Active: true, At: t0},
		domain.KindUserActiveChanged, "user:5"},
}

func TestEventKindsAndStreams(t *testing.T) {
	kinds := map[string]bool{}
	for _, tc := range oneOfEachEvent {
		t.Run(tc.kind, func(t *testing.T) {
			assert.Equal(t, tc.kind, tc.event.EventKind())
			assert.Equal(t, tc.stream, tc.event.StreamKey())
		})
		kinds[tc.kind] = true
	}
	assert.Len(t, kinds, 8, "every kind is distinct")
}

func TestEventsSurviveEncodeAndDecode(t *testing.T) {
	for _, tc := range oneOfEachEvent {
		t.Run(tc.kind, func(t *testing.T) {
			payload, err := domain.EncodeEvent(tc.event)
			require.NoError(t, err)

			got, err := domain.DecodeEvent(tc.event.EventKind(), payload)

			require.NoError(t, err)
			assert.Equal(t, tc.event, got)
		})
	}
}

func TestEncodeEventUsesSnakeCaseFields(t *testing.T) {
	payload, err := domain.EncodeEvent(domain.TicketStatusChanged{TicketID: 12, From: "open", To: "closed", ByID: 3, At: t0})
	require.NoError(t, err)

	var fields map[string]any
	require.NoError(t, json.Unmarshal(payload, &fields))
	assert.Equal(t, float64(12), fields["ticket_id"])
	assert.Equal(t, "open", fields["from"])
	assert.Equal(t, float64(3), fields["by_id"])
	assert.NotContains(t, fields, "comment", "an empty comment is left out")
}

func TestDecodeEventRefusesUnknownKindsAndBadPayloads(t *testing.T) {
	_, err := domain.DecodeEvent("ticket.exploded", []byte(`{}`))
	assert.ErrorContains(t, err, `unknown event kind "ticket.exploded"`)

	_, err = domain.DecodeEvent(domain.KindTicketSubmitted, []byte(`{"ticket_id": "twelve"}`))
	assert.ErrorContains(t, err, "decode ticket.submitted")

	_, err = domain.DecodeEvent(domain.KindCommentAdded, []byte(`not json`))
	assert.Error(t, err)
}
