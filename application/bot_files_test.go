package application_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
)

// telegramFiles is a BotFileFetcher over files by their id; a file it
// does not have fails, as a download that broke would.
type telegramFiles struct {
	byID    map[string]domain.Upload
	refused map[string]bool
	fetched []string
	max     int64
}

func (f *telegramFiles) FetchBotFile(_ context.Context, file application.BotFile, max int64) (domain.Upload, error) {
	f.fetched, f.max = append(f.fetched, file.ID), max
	if f.refused[file.ID] {
		return domain.Upload{}, domain.ValidationError{Field: "files", Code: domain.CodeType}
	}
	up, ok := f.byID[file.ID]
	if !ok {
		return domain.Upload{}, assert.AnError
	}
	if int64(len(up.Content)) > max {
		return domain.Upload{}, application.ErrBotFileTooLarge
	}
	return up, nil
}

func textUpload(name, content string) domain.Upload {
	sum := sha256.Sum256([]byte(content))
	return domain.Upload{Name: name, ContentType: "text/plain", Content: []byte(content), SHA256: hex.EncodeToString(sum[:])}
}

// newFileWorld is a bot world whose chat can send the files of files.
func newFileWorld(t *testing.T, files *telegramFiles, maxBytes int64) *botWorld {
	w := newBotWorld(t)
	w.tg = application.NewTelegramApp(application.TelegramDeps{
		Users: w.store.Users, LinkTokens: w.tokens, Deliveries: memory.NewOutbox(w.store.Events), Clock: w.clock,
		Bot: fakeBot("crm_bot"), Tickets: w.store.Tickets, BotChats: w.chats, BotFiles: files,
		Limits: application.AttachmentLimits{MaxBytes: maxBytes, MaxFiles: 3},
	})
	return w
}

func (w *botWorld) send(cmd application.HandleBotMessage) application.BotReply {
	w.t.Helper()
	cmd.ChatID, cmd.Private = aliceChat, true
	r, err := w.tg.HandleBotMessage.Handle(context.Background(), cmd)
	require.NoError(w.t, err)
	return r
}

func TestBotFileAsAReplyIsAttachedToTheTicket(t *testing.T) {
	files := &telegramFiles{byID: map[string]domain.Upload{"f1": textUpload("notes.txt", "serial 42")}}
	w := newFileWorld(t, files, 1<<20)
	tk := w.ticket(w.alice, "Printer")
	require.NoError(t, w.chats.RememberMessage(context.Background(), aliceChat, 7, tk.ID(), w.clock.Now()))

	r := w.send(application.HandleBotMessage{Text: "the label", ReplyTo: 7, File: &application.BotFile{ID: "f1", Name: "notes.txt"}})

	assert.Equal(t, application.ReplyCommented, r.Kind)
	assert.Equal(t, int64(1<<20), files.max, "the desk's limit is below the Bot API's")
	got := w.full(tk.ID())
	require.Len(t, got.Comments(), 1)
	assert.Equal(t, "the label", got.Comments()[0].Text)
	require.Len(t, got.Attachments(), 1)
	assert.Equal(t, "notes.txt", got.Attachments()[0].Name)
}

func TestBotFileInTheDialogueGoesOnTheNewTicket(t *testing.T) {
	files := &telegramFiles{byID: map[string]domain.Upload{"f1": textUpload("plan.txt", "floor 2")}}
	w := newFileWorld(t, files, 30<<20)
	w.say(aliceChat, "/new", 0)
	w.press(aliceChat, "t:repair")

	r := w.send(application.HandleBotMessage{File: &application.BotFile{ID: "f1"}})
	assert.Equal(t, application.ReplyFileNeedsText, r.Kind, "a file alone does not describe the ticket")
	assert.Empty(t, files.fetched)
	assert.Empty(t, w.tickets(w.alice))

	r = w.send(application.HandleBotMessage{Text: "Leak\nunder the sink", File: &application.BotFile{ID: "f1"}})
	require.Equal(t, application.ReplyCreated, r.Kind)
	assert.Equal(t, int64(application.BotFileMaxBytes), files.max, "the Bot API's limit is below the desk's")
	tk := w.full(r.TicketID)
	assert.Equal(t, "Leak", tk.Title())
	assert.Equal(t, "under the sink", tk.Text())
	require.Len(t, tk.Attachments(), 1)
	assert.Equal(t, "plan.txt", tk.Attachments()[0].Name)
}

func TestBotRefusedFilesChangeNothing(t *testing.T) {
	files := &telegramFiles{byID: map[string]domain.Upload{"big": textUpload("big.txt", "0123456789abcdef")},
		refused: map[string]bool{"exe": true}}
	tests := []struct {
		name  string
		cmd   application.HandleBotMessage
		want  application.BotReplyKind
		fetch bool
	}{
		{"a sticker", application.HandleBotMessage{Unsupported: true}, application.ReplyFileUnsupported, false},
		{"a voice note as a reply", application.HandleBotMessage{Unsupported: true, ReplyTo: 7}, application.ReplyFileUnsupported, false},
		{"a type the desk does not keep", application.HandleBotMessage{ReplyTo: 7, File: &application.BotFile{ID: "exe"}},
			application.ReplyFileRefused, true},
		{"larger than Telegram says", application.HandleBotMessage{ReplyTo: 7, File: &application.BotFile{ID: "big", Size: 11}},
			application.ReplyFileTooLarge, false},
		{"larger than it was said to be", application.HandleBotMessage{ReplyTo: 7, File: &application.BotFile{ID: "big", Size: 5}},
			application.ReplyFileTooLarge, true},
		{"a caption that is a command", application.HandleBotMessage{Text: "/stop", ReplyTo: 7, File: &application.BotFile{ID: "exe"}},
			application.ReplyFileRefused, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files.fetched = nil
			w := newFileWorld(t, files, 10)
			tk := w.ticket(w.alice, "Printer")
			require.NoError(t, w.chats.RememberMessage(context.Background(), aliceChat, 7, tk.ID(), w.clock.Now()))

			r := w.send(tt.cmd)

			assert.Equal(t, tt.want, r.Kind)
			if tt.want == application.ReplyFileTooLarge {
				assert.Equal(t, "10", r.Value, "the reply names the limit")
			}
			assert.Equal(t, tt.fetch, len(files.fetched) > 0, "fetched")
			got := w.full(tk.ID())
			assert.Empty(t, got.Comments())
			assert.Empty(t, got.Attachments())
			assert.Len(t, w.tickets(w.alice), 1)
			chat, _ := w.reload(w.alice).TelegramChatID()
			assert.Equal(t, aliceChat, chat, "still linked")
		})
	}
}

func TestBotFileAloneWaitsForAButton(t *testing.T) {
	files := &telegramFiles{byID: map[string]domain.Upload{"f1": textUpload("label.txt", "serial 42"), "f2": textUpload("lamp.txt", "hall")}}
	w := newFileWorld(t, files, 1<<20)
	tk := w.ticket(w.alice, "Printer")

	r := w.send(application.HandleBotMessage{Text: "the label", File: &application.BotFile{ID: "f1", Name: "label.txt"}})
	require.Equal(t, application.ReplyDraft, r.Kind)
	assert.Empty(t, files.fetched, "nothing is fetched before a press")
	var add string
	for _, row := range r.Buttons {
		if row[0].Kind == application.ButtonDraftAdd && row[0].TicketID == tk.ID() {
			add = row[0].Data
		}
	}
	require.NotEmpty(t, add)
	res := w.press(aliceChat, add)
	assert.Equal(t, application.ReplyCommented, res.Reply.Kind)
	got := w.full(tk.ID())
	require.Len(t, got.Comments(), 1)
	assert.Equal(t, "the label", got.Comments()[0].Text)
	require.Len(t, got.Attachments(), 1)
	assert.Equal(t, "label.txt", got.Attachments()[0].Name)
	assert.Equal(t, application.ToastStale, w.press(aliceChat, add).Toast, "the kept message went")

	// A photo alone: a new ticket from it asks for the description, which
	// then opens the ticket with the photo.
	r = w.send(application.HandleBotMessage{File: &application.BotFile{ID: "f2"}})
	require.Equal(t, application.ReplyDraft, r.Kind)
	res = w.press(aliceChat, r.Buttons[0][0].Data)
	require.Equal(t, application.ReplyChooseType, res.Reply.Kind)
	res = w.press(aliceChat, "t:repair")
	require.Equal(t, application.ReplyDescribe, res.Reply.Kind)
	r = w.say(aliceChat, "Lamp broken\nin the hall", 0)
	require.Equal(t, application.ReplyCreated, r.Kind)
	opened := w.full(r.TicketID)
	assert.Equal(t, "Lamp broken", opened.Title())
	require.Len(t, opened.Attachments(), 1)
	assert.Equal(t, "lamp.txt", opened.Attachments()[0].Name)
	assert.Equal(t, []string{"f1", "f2"}, files.fetched)
}

func TestABotThatOnlyLinksLeavesFilesAlone(t *testing.T) {
	w := newWorld(t)
	for _, cmd := range []application.HandleBotMessage{{Unsupported: true}, {Text: "/stop", File: &application.BotFile{ID: "f1"}}} {
		cmd.ChatID, cmd.Private = 5, true
		r, err := w.tg.HandleBotMessage.Handle(context.Background(), cmd)
		require.NoError(t, err)
		assert.Equal(t, application.ReplyNone, r.Kind)
	}
}
