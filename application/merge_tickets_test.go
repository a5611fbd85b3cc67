package application_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestMergeTickets(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	into := e.ticket(t, owner, "Пропал звук")
	dup := e.ticket(t, owner, "Нет звука")
	require.NoError(t, e.AddComment.Handle(e.ctx, application.AddComment{Actor: owner, TicketID: dup.ID(), Text: "и видео"}))
	e.clock.Set(t0.Add(time.Hour))

	got, err := e.MergeTickets.Handle(e.ctx, application.MergeTickets{Actor: staff, TicketID: dup.ID(),
		Into: " #" + itoa(into.ID()) + " "})

	require.NoError(t, err)
	assert.Equal(t, into.ID(), got)
	assert.Equal(t, into.ID(), e.stored(t, dup.ID()).MergedInto())
	assert.Equal(t, domain.StatusClosed, e.stored(t, dup.ID()).Status())
	assert.Equal(t, []string{"и видео"}, commentTexts(e.stored(t, into.ID()).Comments()))
	assert.Equal(t, []domain.Event{domain.TicketMerged{TicketID: dup.ID(), IntoID: into.ID(), OwnerID: owner.ID(),
		Title: "Нет звука", IntoTitle: "Пропал звук", Comments: 1, ByID: staff.ID(), ByName: "staff",
		At: t0.Add(time.Hour)}}, e.events(t, domain.KindTicketMerged))
	assert.Empty(t, e.events(t, domain.KindTicketStatusChanged), "the closing is the merge's, not a status change")

	audit, err := e.ListAuditLog.Handle(e.ctx, application.ListAuditLog{Actor: e.user(t, "admin", domain.RoleAdmin)})
	require.NoError(t, err)
	require.Len(t, audit, 1, "the audit log shows the merge")
	assert.Equal(t, domain.KindTicketMerged, audit[0].Kind)

	err = e.AddComment.Handle(e.ctx, application.AddComment{Actor: owner, TicketID: dup.ID(), Text: "ещё"})
	assert.ErrorIs(t, err, domain.ErrMergedAway, "the merged ticket takes no more comments")
}

func TestMergeTicketsRefusals(t *testing.T) {
	tests := []struct {
		name  string
		actor string
		into  func(tickets map[string]int64) string
		want  error
	}{
		{"the owner", "owner", func(m map[string]int64) string { return itoa(m["into"]) }, domain.ErrForbidden},
		{"a stranger", "stranger", func(m map[string]int64) string { return itoa(m["into"]) }, domain.ErrTicketNotFound},
		{"not a number", "staff", func(map[string]int64) string { return "twelve" }, application.ErrNotTicketNumber},
		{"empty", "staff", func(map[string]int64) string { return "" }, application.ErrNotTicketNumber},
		{"zero", "staff", func(map[string]int64) string { return "#0" }, application.ErrNotTicketNumber},
		{"negative", "staff", func(map[string]int64) string { return "-3" }, application.ErrNotTicketNumber},
		{"an unknown ticket", "staff", func(m map[string]int64) string { return itoa(m["into"] + 100) }, domain.ErrMergeTargetNotFound},
		{"itself", "staff", func(m map[string]int64) string { return itoa(m["dup"]) }, domain.ErrMergeIntoSelf},
		{"another owner's", "staff", func(m map[string]int64) string { return itoa(m["strangers"]) }, domain.ErrMergeAcrossOwners},
		{"a ticket merged away", "staff", func(m map[string]int64) string { return itoa(m["merged"]) }, domain.ErrMergedAway},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			people := map[string]*domain.User{
				"owner":    e.user(t, "owner", domain.RoleUser),
				"stranger": e.user(t, "stranger", domain.RoleUser),
				"staff":    e.user(t, "staff", domain.RoleStaff),
			}
			ids := map[string]int64{
				"dup":       e.ticket(t, people["owner"], "дубль").ID(),
				"into":      e.ticket(t, people["owner"], "оригинал").ID(),
				"strangers": e.ticket(t, people["stranger"], "чужая").ID(),
				"merged":    e.ticket(t, people["owner"], "объединённая").ID(),
			}
			_, err := e.MergeTickets.Handle(e.ctx, application.MergeTickets{Actor: people["staff"], TicketID: ids["merged"],
				Into: itoa(ids["into"])})
			require.NoError(t, err)
			before := e.stored(t, ids["dup"])

			_, err = e.MergeTickets.Handle(e.ctx, application.MergeTickets{Actor: people[tc.actor], TicketID: ids["dup"],
				Into: tc.into(ids)})

			assert.ErrorIs(t, err, tc.want)
			assert.Equal(t, before, e.stored(t, ids["dup"]), "nothing changed")
			assert.Len(t, e.events(t, domain.KindTicketMerged), 1, "only the arranged merge")
		})
	}
}

func TestMergeAMissingTicket(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	staff := e.user(t, "staff", domain.RoleStaff)
	into := e.ticket(t, owner, "оригинал")

	_, err := e.MergeTickets.Handle(e.ctx, application.MergeTickets{Actor: staff, TicketID: 999, Into: itoa(into.ID())})

	assert.ErrorIs(t, err, domain.ErrTicketNotFound)
}

func TestTheOwnerHearsOfAMergeOnce(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner", domain.RoleUser)
	require.NoError(t, e.store.Users.Update(e.ctx, owner.ID(), func(u *domain.User) error {
		u.LinkTelegram(77, t0)
		return nil
	}))
	staff := e.user(t, "staff", domain.RoleStaff)
	into := e.ticket(t, owner, "Пропал звук")
	dup := e.ticket(t, owner, "Нет звука")
	_, err := e.MergeTickets.Handle(e.ctx, application.MergeTickets{Actor: staff, TicketID: dup.ID(), Into: itoa(into.ID())})
	require.NoError(t, err)
	n := newRecordingNotifier()
	h := application.NewNotifyOwner(e.store.Users, n, "https://crm.example/")

	stored, err := e.store.Events.ListEvents(e.ctx, h.Kinds(), 0, 100)
	require.NoError(t, err)
	for _, ev := range stored {
		if key, skip := h.Route(ev); skip == "" {
			assert.Equal(t, "user:"+itoa(owner.ID()), key)
			_, err := h.Handle(e.ctx, ev)
			require.NoError(t, err)
		}
	}

	assert.Equal(t, []application.Notification{{Kind: application.NotifyTicketMerged, TicketID: into.ID(),
		Title: "Пропал звук", Author: "staff", URL: "https://crm.example/tickets/" + itoa(into.ID()),
		FromTicketID: dup.ID(), FromTitle: "Нет звука"}}, n.sent[77], "one message, about the merge")
}

func TestABotReplyAboutAMergedTicketGoesOnInTheTicketItWentInto(t *testing.T) {
	w := newBotWorld(t)
	staff := w.user("staff", domain.RoleStaff)
	into := w.ticket(w.alice, "Printer")
	dup := w.ticket(w.alice, "Printer again")
	require.NoError(t, w.chats.RememberMessage(context.Background(), aliceChat, 42, dup.ID(), w.clock.Now()))
	_, err := application.NewMergeTicketsHandler(w.store.Tickets, w.clock).Handle(context.Background(), application.MergeTickets{Actor: staff, TicketID: dup.ID(),
		Into: itoa(into.ID())})
	require.NoError(t, err)

	r := w.say(aliceChat, "Still jams", 42)

	require.Equal(t, application.ReplyCommented, r.Kind)
	assert.Equal(t, into.ID(), r.TicketID, "the reply names the ticket it went to")
	assert.Equal(t, []string{"Still jams"}, commentTexts(w.full(into.ID()).Comments()))
	assert.Empty(t, w.full(dup.ID()).Comments())
}
