package application

import (
	"context"
	"fmt"
	"strings"
	"time"

	"crm/domain"
)

// draftKeyLen is the length of a kept message's key in callback data.
const draftKeyLen = 10

// open files text as a new ticket of the dialogue's type, with files
// attached: the first line (cut at a word to the title limit) is the
// title, the rest the text.
func (b *botTickets) open(ctx context.Context, u *domain.User, lang string, d BotDialogue, text string, files ...domain.Upload) (BotReply, error) {
	now := b.now()
	if !d.OpenedSince.IsZero() && now.Sub(d.OpenedSince) < time.Hour && d.Opened >= BotTicketsPerHour {
		return BotReply{Kind: ReplyTooMany, Language: lang}, nil
	}
	title, body, cut := splitDescription(text)
	t, err := b.submit.Handle(ctx, SubmitTicket{Actor: u, Title: title, Text: body, Type: d.Type, Files: files})
	if fr, ok := fileRefusal(err, b, lang); ok {
		return fr, nil
	}
	if isValidation(err) {
		return BotReply{Kind: ReplyInvalidText, Language: lang}, nil
	}
	if err != nil {
		return BotReply{Language: lang}, fmt.Errorf("submit ticket: %w", err)
	}
	if d.OpenedSince.IsZero() || now.Sub(d.OpenedSince) >= time.Hour {
		d.OpenedSince, d.Opened = now, 0
	}
	d.Opened++
	d.Step, d.Type, d.DraftKey, d.Draft, d.DraftFile, d.UpdatedAt = BotStepNone, "", "", "", BotFile{}, now
	r := BotReply{Kind: ReplyCreated, Language: lang, TicketID: t.ID(), Title: t.Title(), URL: b.ticketURL(t.ID()),
		Cut: cut, Buttons: TicketButtons(t.ID(), false, b.ticketURL(t.ID()))}
	if err := b.chats.SaveDialogue(ctx, d); err != nil {
		// The ticket exists: say so, and report that the dialogue is stuck.
		return r, fmt.Errorf("end dialogue after ticket %d: %w", t.ID(), err)
	}
	return r, nil
}

// splitDescription makes a title of text's first line and a text of the
// rest; a one-line description is the text too. cut reports that
// something had to be shortened (the title then is only a start: the text
// keeps the whole line).
func splitDescription(text string) (title, body string, cut bool) {
	text = strings.TrimSpace(domain.NormalizeNewlines(text))
	first, rest, _ := strings.Cut(text, "\n")
	first, rest = strings.TrimSpace(first), strings.TrimSpace(rest)
	title, titleCut := cutAtWord(first, domain.TitleMaxLen)
	switch {
	case rest == "":
		body = text
	case titleCut:
		body = text
	default:
		body = rest
	}
	body, bodyCut := cutAtWord(body, domain.TextMaxLen)
	return title, body, bodyCut
}

// draft keeps text, and the file sent with it if any, and asks what to do
// with it: open a ticket from it, or add it to one of the person's latest
// open tickets. Nothing is created until a button is pressed.
func (b *botTickets) draft(ctx context.Context, u *domain.User, lang string, d BotDialogue, text string, file ...BotFile) (BotReply, error) {
	ts, err := b.openTickets(ctx, u, botDraftTickets)
	if err != nil {
		return BotReply{Language: lang}, err
	}
	d.DraftKey, d.Draft, d.DraftFile, d.UpdatedAt = NewSecretToken()[:draftKeyLen], text, BotFile{}, b.now()
	if len(file) > 0 {
		d.DraftFile = file[0]
	}
	if err := b.chats.SaveDialogue(ctx, d); err != nil {
		return BotReply{Language: lang}, fmt.Errorf("keep the message: %w", err)
	}
	r := BotReply{Kind: ReplyDraft, Language: lang,
		Buttons: [][]BotButton{{{Kind: ButtonDraftNew, Data: draftNewData(d.DraftKey)}}}}
	for _, t := range ts {
		r.Buttons = append(r.Buttons, []BotButton{{Kind: ButtonDraftAdd, Data: draftAddData(d.DraftKey, t.ID()),
			TicketID: t.ID(), Title: t.Title()}})
	}
	return r, nil
}
