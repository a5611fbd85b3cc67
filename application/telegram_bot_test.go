package application_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
)

// botWorld is a world whose bot works with tickets.
type botWorld struct {
	*world
	chats *memory.BotChats
	alice *domain.User
}

const aliceChat = int64(1001)

func newBotWorld(t *testing.T) *botWorld {
	w := newWorld(t)
	chats := memory.NewBotChats()
	w.tg = application.NewTelegramApp(application.TelegramDeps{
		Users: w.store.Users, LinkTokens: w.tokens, Deliveries: memory.NewOutbox(w.store.Events), Clock: w.clock,
		Bot: fakeBot("crm_bot"), Tickets: w.store.Tickets, BotChats: chats, PublicURL: "https://crm.example/",
		Limits: application.AttachmentLimits{MaxBytes: 1 << 20, MaxFiles: 3},
	})
	return &botWorld{world: w, chats: chats, alice: w.linkedUser("alice", aliceChat)}
}

func (w *botWorld) say(chat int64, text string, replyTo int) application.BotReply {
	w.t.Helper()
	r, err := w.tg.HandleBotMessage.Handle(context.Background(), application.HandleBotMessage{
		ChatID: chat, Private: chat > 0, Text: text, ReplyTo: replyTo})
	require.NoError(w.t, err)
	return r
}

func (w *botWorld) press(chat int64, data string) application.BotCallbackResult {
	w.t.Helper()
	r, err := w.tg.HandleBotCallback.Handle(context.Background(), application.HandleBotCallback{
		ChatID: chat, Private: chat > 0, MessageID: 1, Data: data})
	require.NoError(w.t, err)
	return r
}

func (w *botWorld) ticket(owner *domain.User, title string) *domain.Ticket {
	w.t.Helper()
	tk, err := application.NewSubmitTicketHandler(w.store.Tickets, w.clock, application.AttachmentLimits{}).Handle(
		context.Background(), application.SubmitTicket{Actor: owner, Title: title, Text: "text of " + title, Type: "repair"})
	require.NoError(w.t, err)
	w.clock.Advance(time.Second)
	return tk
}

func (w *botWorld) tickets(owner *domain.User) []*domain.Ticket {
	w.t.Helper()
	p, err := w.store.Tickets.Search(context.Background(), application.TicketFilter{OwnerID: owner.ID(), Page: application.Page{Limit: 100}})
	require.NoError(w.t, err)
	return p.Tickets
}

func (w *botWorld) full(id int64) *domain.Ticket {
	w.t.Helper()
	tk, err := w.store.Tickets.Get(context.Background(), id)
	require.NoError(w.t, err)
	return tk
}

func buttonData(rows [][]application.BotButton) []string {
	var out []string
	for _, row := range rows {
		for _, b := range row {
			out = append(out, string(b.Kind)+" "+b.Data+b.URL)
		}
	}
	return out
}

func TestBotOpensATicketByDialogue(t *testing.T) {
	w := newBotWorld(t)
	r := w.say(aliceChat, "/new", 0)
	assert.Equal(t, application.ReplyChooseType, r.Kind)
	assert.Equal(t, []string{"type t:consultation", "type t:repair", "type t:service"}, buttonData(r.Buttons))
	assert.Equal(t, application.ReplyChooseType, w.say(aliceChat, "the printer", 0).Kind, "a type first")

	res := w.press(aliceChat, "t:repair")
	assert.Equal(t, application.ReplyDescribe, res.Reply.Kind)
	assert.Equal(t, application.ToastStale, w.press(aliceChat, "t:service").Toast, "the type was chosen")

	r = w.say(aliceChat, "Printer jammed\nIt makes a noise.\nSecond floor.", 0)
	require.Equal(t, application.ReplyCreated, r.Kind)
	tk := w.full(r.TicketID)
	assert.Equal(t, "Printer jammed", tk.Title())
	assert.Equal(t, "It makes a noise.\nSecond floor.", tk.Text())
	assert.Equal(t, "repair", tk.Type().String())
	assert.Equal(t, w.alice.ID(), tk.OwnerID())
	assert.Equal(t, fmt.Sprintf("https://crm.example/tickets/%d", tk.ID()), r.URL)
	assert.Equal(t, []string{"close c:" + itoa(tk.ID()), "url " + r.URL}, buttonData(r.Buttons))

	assert.Equal(t, application.ReplyDraft, w.say(aliceChat, "one more thing", 0).Kind, "the dialogue is over")
	assert.Len(t, w.tickets(w.alice), 1)
}

func itoa(n int64) string { return fmt.Sprint(n) }

func TestBotCancelAndLongTexts(t *testing.T) {
	w := newBotWorld(t)
	assert.Equal(t, application.ReplyNoDialogue, w.say(aliceChat, "/cancel", 0).Kind)
	w.say(aliceChat, "/new", 0)
	assert.Equal(t, application.ReplyCancelled, w.say(aliceChat, "/cancel", 0).Kind)
	assert.Equal(t, application.ToastStale, w.press(aliceChat, "t:repair").Toast, "the dialogue was left")

	w.say(aliceChat, "/new", 0)
	w.press(aliceChat, "t:service")
	long := strings.Repeat("word ", 40) + "\n" + strings.Repeat("lorem ipsum ", domain.TextMaxLen/12+50)
	r := w.say(aliceChat, long, 0)
	require.Equal(t, application.ReplyCreated, r.Kind)
	assert.True(t, r.Cut, "the text was cut, and the reply says so")
	tk := w.full(r.TicketID)
	assert.LessOrEqual(t, len([]rune(tk.Title())), domain.TitleMaxLen)
	assert.True(t, strings.HasSuffix(tk.Title(), "word"), "cut at a word: %q", tk.Title())
	assert.True(t, strings.HasSuffix(tk.Text(), "ipsum") || strings.HasSuffix(tk.Text(), "lorem"), "cut at a word")
	assert.Contains(t, tk.Text(), strings.Repeat("word ", 39), "the whole first line is in the text")
}

func TestBotPlainMessageWaitsForAPress(t *testing.T) {
	w := newBotWorld(t)
	var old []*domain.Ticket
	for i := range 4 {
		old = append(old, w.ticket(w.alice, fmt.Sprintf("T%d", i)))
	}
	r := w.say(aliceChat, "The screen flickers", 0)
	require.Equal(t, application.ReplyDraft, r.Kind)
	assert.Len(t, w.tickets(w.alice), 4, "nothing is created without a press")
	data := buttonData(r.Buttons)
	require.Len(t, data, 4, "a new ticket, or one of the three latest")
	key := strings.TrimPrefix(data[0], "draft_new n:")
	assert.Equal(t, "draft_add a:"+key+":"+itoa(old[3].ID()), data[1])
	assert.Equal(t, "draft_add a:"+key+":"+itoa(old[1].ID()), data[3])

	assert.Equal(t, application.ToastStale, w.press(aliceChat, "a:XXXXXXXXXX:"+itoa(old[3].ID())).Toast, "a key never given")
	res := w.press(aliceChat, "a:"+key+":"+itoa(old[3].ID()))
	require.Equal(t, application.ReplyCommented, res.Reply.Kind)
	cs := w.full(old[3].ID()).Comments()
	require.Len(t, cs, 1)
	assert.Equal(t, "The screen flickers", cs[0].Text)
	assert.Equal(t, application.ToastStale, w.press(aliceChat, "a:"+key+":"+itoa(old[3].ID())).Toast, "used once")

	r = w.say(aliceChat, "The mouse is gone", 0)
	key = strings.TrimPrefix(buttonData(r.Buttons)[0], "draft_new n:")
	res = w.press(aliceChat, "n:"+key)
	require.Equal(t, application.ReplyChooseType, res.Reply.Kind)
	res = w.press(aliceChat, "t:consultation")
	require.Equal(t, application.ReplyCreated, res.Reply.Kind)
	assert.Equal(t, "The mouse is gone", w.full(res.Reply.TicketID).Title())
}

func TestBotReplyToItsMessageComments(t *testing.T) {
	w := newBotWorld(t)
	tk := w.ticket(w.alice, "Printer")
	require.NoError(t, w.chats.RememberMessage(context.Background(), aliceChat, 42, tk.ID(), w.clock.Now()))

	r := w.say(aliceChat, "It works again", 42)
	require.Equal(t, application.ReplyCommented, r.Kind)
	assert.Equal(t, tk.ID(), r.TicketID)
	cs := w.full(tk.ID()).Comments()
	require.Len(t, cs, 1)
	assert.Equal(t, "It works again", cs[0].Text)
	assert.Equal(t, w.alice.ID(), cs[0].AuthorID)

	assert.Equal(t, application.ReplyDraft, w.say(aliceChat, "hello", 43).Kind, "a reply to a message not about a ticket")

	w.linkedUser("bob", 2002)
	r = w.say(2002, "mine now", 42)
	assert.Equal(t, application.ReplyDraft, r.Kind, "message 42 of another chat is not bob's")
	require.NoError(t, w.chats.RememberMessage(context.Background(), 2002, 7, tk.ID(), w.clock.Now()))
	assert.Equal(t, application.ReplyTicketGone, w.say(2002, "mine now", 7).Kind, "alice's ticket is not found for bob")
	assert.Len(t, w.full(tk.ID()).Comments(), 1)
}

func TestBotListsAndShowsTickets(t *testing.T) {
	w := newBotWorld(t)
	assert.Equal(t, application.ReplyNoTickets, w.say(aliceChat, "/tickets", 0).Kind)
	staff := w.user("staff", domain.RoleStaff)
	var ts []*domain.Ticket
	for i := range 12 {
		ts = append(ts, w.ticket(w.alice, fmt.Sprintf("T%d", i)))
	}
	require.NoError(t, application.NewChangeStatusHandler(w.store.Tickets, w.clock).Handle(context.Background(),
		application.ChangeStatus{Actor: staff, TicketID: ts[11].ID(), Status: "closed"}))
	w.ticket(w.user("bob", domain.RoleUser), "Bob's")

	r := w.say(aliceChat, "/tickets", 0)
	require.Equal(t, application.ReplyTickets, r.Kind)
	require.Len(t, r.Tickets, 10)
	assert.Equal(t, ts[10].ID(), r.Tickets[0].ID, "newest first, the closed one left out")
	assert.Equal(t, ts[1].ID(), r.Tickets[9].ID)
	assert.Equal(t, "show s:"+itoa(ts[10].ID()), buttonData(r.Buttons)[0])

	addComment := application.NewAddCommentHandler(w.store.Tickets, w.clock, application.AttachmentLimits{})
	require.NoError(t, addComment.Handle(context.Background(), application.AddComment{Actor: staff, TicketID: ts[10].ID(), Text: "On it"}))
	require.NoError(t, addComment.Handle(context.Background(), application.AddComment{Actor: staff, TicketID: ts[10].ID(), Text: "secret", Internal: true}))
	res := w.press(aliceChat, "s:"+itoa(ts[10].ID()))
	require.Equal(t, application.ReplyTicket, res.Reply.Kind)
	assert.Equal(t, "open", res.Reply.Status)
	assert.Equal(t, []application.BotCommentLine{{Author: "staff", Text: "On it"}}, res.Reply.Comments, "no internal note")
}

func TestBotButtonsAreCheckedNotBelieved(t *testing.T) {
	w := newBotWorld(t)
	bobs := w.ticket(w.user("bob", domain.RoleUser), "Bob's")
	mine := w.ticket(w.alice, "Mine")
	for _, data := range []string{
		"c:" + itoa(bobs.ID()), "o:" + itoa(bobs.ID()), "s:" + itoa(bobs.ID()), "a:XXXXXXXXXX:" + itoa(bobs.ID()),
		"s:999999", "c:-1", "c:01", "c:" + itoa(mine.ID()) + ":x", "x:1", "", "t:nope", "r:" + itoa(mine.ID()) + ":9",
		"s:" + strings.Repeat("9", 70),
	} {
		res := w.press(aliceChat, data)
		assert.Contains(t, []application.BotToast{application.ToastRefused, application.ToastStale}, res.Toast, "data %q", data)
		assert.Empty(t, res.Reply.Kind, "data %q", data)
		assert.False(t, res.EditKeyboard, "data %q", data)
	}
	assert.Equal(t, domain.StatusOpen, w.full(bobs.ID()).Status())
	assert.Empty(t, w.full(bobs.ID()).Comments())
	assert.Equal(t, application.ToastNotLinked, w.press(3003, "s:"+itoa(mine.ID())).Toast, "an unlinked chat")
}

func TestBotLimitsTicketsPerHour(t *testing.T) {
	w := newBotWorld(t)
	open := func() application.BotReply {
		w.say(aliceChat, "/new", 0)
		w.press(aliceChat, "t:repair")
		return w.say(aliceChat, "Broken again", 0)
	}
	for i := range application.BotTicketsPerHour {
		require.Equal(t, application.ReplyCreated, open().Kind, "ticket %d", i)
	}
	assert.Equal(t, application.ReplyTooMany, open().Kind)
	assert.Len(t, w.tickets(w.alice), application.BotTicketsPerHour)
	w.clock.Advance(time.Hour)
	assert.Equal(t, application.ReplyCreated, open().Kind, "an hour later")
}

func TestBotUnlinkedChatLearnsHowToLink(t *testing.T) {
	w := newBotWorld(t)
	for _, text := range []string{"/new", "/tickets", "hello", "/help"} {
		r := w.say(5005, text, 0)
		assert.Equal(t, application.BotReply{Kind: application.ReplyHelp, URL: "https://crm.example"}, r, text)
	}
	assert.Equal(t, application.ReplyNone, w.say(-100500, "chatter in a group", 0).Kind)
}

func TestBotClosesReopensAndRatesByButtons(t *testing.T) {
	w := newBotWorld(t)
	tk := w.ticket(w.alice, "Printer")
	id := itoa(tk.ID())

	res := w.press(aliceChat, "r:"+id+":5")
	assert.Equal(t, application.ToastStale, res.Toast, "an open ticket is not rated")

	res = w.press(aliceChat, "c:"+id)
	require.Equal(t, application.ToastDone, res.Toast)
	assert.Equal(t, domain.StatusClosed, w.full(tk.ID()).Status())
	assert.True(t, res.EditKeyboard)
	assert.Equal(t, []string{"reopen o:" + id, "url https://crm.example/tickets/" + id}, buttonData(res.Keyboard))
	require.Equal(t, application.ReplyRate, res.Reply.Kind)
	assert.Len(t, buttonData(res.Reply.Buttons), 5)
	assert.Equal(t, application.ToastStale, w.press(aliceChat, "c:"+id).Toast, "a stale close")

	assert.Equal(t, application.ToastDone, w.press(aliceChat, "r:"+id+":4").Toast)
	assert.Equal(t, 4, w.full(tk.ID()).Rating())

	staff := w.linkedUser("staff", 9009)
	require.NoError(t, w.store.Users.Update(context.Background(), staff.ID(), func(u *domain.User) error {
		u.ChangeRole(staff, domain.RoleStaff, w.clock.Now())
		return nil
	}))
	assert.Equal(t, application.ToastRefused, w.press(9009, "r:"+id+":1").Toast, "only the owner rates")
	assert.Equal(t, 4, w.full(tk.ID()).Rating())

	res = w.press(aliceChat, "o:"+id)
	require.Equal(t, application.ToastDone, res.Toast)
	assert.Equal(t, domain.StatusOpen, w.full(tk.ID()).Status())
	assert.Equal(t, []string{"close c:" + id, "url https://crm.example/tickets/" + id}, buttonData(res.Keyboard))
}
