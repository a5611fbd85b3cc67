package application

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"crm/domain"
)

// The bot's answers to staff.
const (
	ReplyNoted     BotReplyKind = "noted"       // the internal note was added to TicketID
	ReplyNoteHowTo BotReplyKind = "note_how_to" // /note outside a reply to a message about a ticket
)

// take assigns ticket arg to the presser, through AssignTicket: a person
// who is not staff is refused there, as on the pages.
func (h HandleBotCallbackHandler) take(ctx context.Context, u *domain.User, res BotCallbackResult, arg string) (BotCallbackResult, error) {
	id, ok := callbackID(arg)
	if !ok {
		res.Toast = ToastRefused
		return res, nil
	}
	t, err := h.bot.tickets.Get(ctx, id)
	if err == nil && t.AssigneeID() == u.ID() {
		res.Toast = ToastStale
		return res, nil
	}
	if err != nil && !errors.Is(err, domain.ErrTicketNotFound) {
		res.Toast = ToastError
		return res, fmt.Errorf("load ticket %d: %w", id, err)
	}
	if err := h.assign.Handle(ctx, AssignTicket{Actor: u, TicketID: id, AssigneeID: u.ID()}); err != nil {
		return refusal(res, err)
	}
	res.Toast = ToastDone
	return res, nil
}

// progress moves ticket arg to in progress, through ChangeStatus: its
// owner may close and reopen, but starting the work is staff's.
func (h HandleBotCallbackHandler) progress(ctx context.Context, u *domain.User, res BotCallbackResult, arg string) (BotCallbackResult, error) {
	id, ok := callbackID(arg)
	if !ok {
		res.Toast = ToastRefused
		return res, nil
	}
	if err := h.bot.change.Handle(ctx, ChangeStatus{Actor: u, TicketID: id, Status: domain.StatusInProgress.String()}); err != nil {
		return refusal(res, err)
	}
	res.Toast = ToastDone
	return res, nil
}

// note adds "/note <text>", sent as a reply to the bot's message about a
// ticket, as an internal note on it. Only staff write notes: anyone else
// learns the commands, and nothing is written.
func (b *botTickets) note(ctx context.Context, u *domain.User, lang string, cmd HandleBotMessage) (BotReply, error) {
	r := BotReply{Language: lang}
	if !u.IsStaff() {
		r.Kind = ReplyHelpLinked
		return r, nil
	}
	text := noteText(cmd.Text)
	if cmd.ReplyTo == 0 || text == "" {
		r.Kind = ReplyNoteHowTo
		return r, nil
	}
	id, ok, err := b.repliedTicket(ctx, cmd)
	if err != nil {
		return r, err
	}
	if !ok {
		r.Kind = ReplyNoteHowTo
		return r, nil
	}
	r.TicketID = id
	text, r.Cut = cutAtWord(text, domain.CommentMaxLen)
	err = b.comment.Handle(ctx, AddComment{Actor: u, TicketID: id, Text: text, Internal: true})
	switch {
	case errors.Is(err, domain.ErrTicketNotFound), errors.Is(err, domain.ErrForbidden):
		return BotReply{Kind: ReplyTicketGone, Language: lang}, nil
	case isValidation(err):
		return BotReply{Kind: ReplyInvalidText, Language: lang}, nil
	case err != nil:
		return BotReply{Language: lang}, fmt.Errorf("add note to ticket %d: %w", id, err)
	}
	r.Kind = ReplyNoted
	if t, err := b.tickets.Get(ctx, id); err == nil {
		r.Title = t.Title()
	}
	return r, nil
}

// noteText is what follows "/note" (or "/note@bot"), its line breaks kept.
func noteText(s string) string {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(s[i:])
}
