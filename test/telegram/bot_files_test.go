package telegram_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
	"crm/test/fakebotapi"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))))
	return b.Bytes()
}

// attachment reads attachment id as actor through the use case the pages
// use.
func (sc *scenario) attachment(actor *domain.User, id int64) ([]byte, error) {
	sc.t.Helper()
	_, rc, err := application.NewGetAttachmentHandler(sc.db.attachments, sc.db.files).Handle(
		context.Background(), application.GetAttachment{Actor: actor, ID: id})
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	return io.ReadAll(rc)
}

func TestBotAPhotoAsAReplyIsAnAttachmentOfTheTicket(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			p := sc.start(processConfig{chatInterval: fast})
			staff := sc.user("staff_user", domain.RoleStaff)
			stranger := sc.user("mallory", domain.RoleUser)
			alice := sc.linkedUser("alice", 1001)
			tk := sc.ticket(alice, "Cracked screen")
			p.addComment(staff, tk, "Can you send a photo?", false)
			note := sc.remembered(sc.sentTo(1001, 1)[0])

			large := pngOf(t, 120, 80)
			sc.srv.SendMedia(1001, "alice", fakebotapi.Media{Caption: "Here it is", ReplyTo: note.MessageID,
				Photo: [][]byte{pngOf(t, 12, 8), large}})

			confirm := sc.sentTo(1001, 2)[1]
			assert.Contains(t, confirm.Text, fmt.Sprintf("Your comment was added to ticket #%d", tk.ID()))
			got := sc.reload(tk.ID())
			require.Len(t, got.Comments(), 2)
			assert.Equal(t, "Here it is", got.Comments()[1].Text)
			require.Len(t, got.Attachments(), 1)
			att := got.Attachments()[0]
			assert.Equal(t, "photo.png", att.Name)
			assert.Equal(t, "image/png", att.ContentType)
			assert.Equal(t, alice.ID(), att.ByID)
			assert.Equal(t, 1, sc.srv.Downloads(), "only the largest size is fetched")

			for _, reader := range []*domain.User{alice, staff} {
				content, err := sc.attachment(reader, att.ID)
				require.NoError(t, err, reader.Username())
				assert.Equal(t, large, content, reader.Username())
			}
			_, err := sc.attachment(stranger, att.ID)
			assert.ErrorIs(t, err, domain.ErrAttachmentNotFound, "a stranger's 404")
		})
	}
}

func TestBotADocumentWithACaptionOpensATicketInNew(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			sc.start(processConfig{chatInterval: fast})
			alice := sc.linkedUser("alice", 1001)

			sc.srv.SendText(1001, "alice", "/new")
			ask := sc.sentTo(1001, 1)[0]
			sc.srv.PressButton(1001, "alice", ask.MessageID, button(t, ask, "Repair"))
			sc.sentTo(1001, 2)
			receipt := []byte("Receipt 2041\nPrinter X200, bought 3 March\n")
			sc.srv.SendMedia(1001, "alice", fakebotapi.Media{Caption: "Printer jams\nEvery second page.",
				Document: receipt, DocumentName: "receipt.txt"})

			done := sc.sentTo(1001, 3)[2]
			p, err := sc.db.tickets.Search(t.Context(), application.TicketFilter{OwnerID: alice.ID()})
			require.NoError(t, err)
			require.Len(t, p.Tickets, 1)
			tk := sc.reload(p.Tickets[0].ID())
			assert.Contains(t, done.Text, fmt.Sprintf("Ticket #%d “Printer jams” is open", tk.ID()))
			assert.Equal(t, "Every second page.", tk.Text())
			require.Len(t, tk.Attachments(), 1)
			assert.Equal(t, "receipt.txt", tk.Attachments()[0].Name)
			assert.Zero(t, tk.Attachments()[0].CommentID, "on the ticket itself")
			content, err := sc.attachment(alice, tk.Attachments()[0].ID)
			require.NoError(t, err)
			assert.Equal(t, receipt, content)
		})
	}
}

func TestBotRefusesStickersVoiceAndFilesTooLarge(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			p := sc.start(processConfig{chatInterval: fast})
			staff := sc.user("staff_user", domain.RoleStaff)
			alice := sc.linkedUser("alice", 1001)
			tk := sc.ticket(alice, "Printer")
			p.addComment(staff, tk, "Anything else?", false)
			note := sc.remembered(sc.sentTo(1001, 1)[0])

			sc.srv.SendMedia(1001, "alice", fakebotapi.Media{Sticker: true, ReplyTo: note.MessageID})
			assert.Contains(t, sc.sentTo(1001, 2)[1].Text, "stickers, voice messages, locations")
			sc.srv.SendMedia(1001, "alice", fakebotapi.Media{Voice: true})
			assert.Contains(t, sc.sentTo(1001, 3)[2].Text, "stickers, voice messages, locations")
			sc.srv.SendMedia(1001, "alice", fakebotapi.Media{Caption: "the manual", ReplyTo: note.MessageID,
				Document: bytes.Repeat([]byte("manual "), 25<<20/7), DocumentName: "manual.txt"})
			assert.Contains(t, sc.sentTo(1001, 4)[3].Text, "This file is too large: the limit is 10 MB.")

			got := sc.reload(tk.ID())
			assert.Len(t, got.Comments(), 1, "only the staff comment")
			assert.Empty(t, got.Attachments())
			assert.Zero(t, sc.srv.Downloads(), "nothing was fetched")
			ps, err := sc.db.tickets.Search(t.Context(), application.TicketFilter{OwnerID: alice.ID()})
			require.NoError(t, err)
			assert.Len(t, ps.Tickets, 1)
		})
	}
}

func TestBotADocumentAloneIsKeptUntilAButtonAddsIt(t *testing.T) {
	for name, newBackend := range bothBackends {
		t.Run(name, func(t *testing.T) {
			sc := newBotScenario(t, newBackend(t))
			first := sc.start(processConfig{chatInterval: fast})
			alice := sc.linkedUser("alice", 1001)
			tk := sc.ticket(alice, "Printer")

			sc.srv.SendMedia(1001, "alice", fakebotapi.Media{Caption: "the error page", Document: []byte("E42 paper jam\n"),
				DocumentName: "error.txt"})
			ask := sc.sentTo(1001, 1)[0]
			assert.Contains(t, ask.Text, "What should I do with this message?")
			assert.Zero(t, sc.srv.Downloads(), "nothing is fetched before a press")
			first.stop() // the file waits in the database, by its file_id

			sc.start(processConfig{chatInterval: fast})
			sc.srv.PressButton(1001, "alice", ask.MessageID, button(t, ask, fmt.Sprintf("Add to #%d Printer", tk.ID())))
			assert.Contains(t, sc.sentTo(1001, 2)[1].Text, fmt.Sprintf("Your comment was added to ticket #%d", tk.ID()))
			got := sc.reload(tk.ID())
			require.Len(t, got.Comments(), 1)
			assert.Equal(t, "the error page", got.Comments()[0].Text)
			require.Len(t, got.Attachments(), 1)
			content, err := sc.attachment(alice, got.Attachments()[0].ID)
			require.NoError(t, err)
			assert.Equal(t, []byte("E42 paper jam\n"), content)
		})
	}
}
