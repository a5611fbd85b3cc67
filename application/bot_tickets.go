package application

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"crm/domain"
)

// BotTicketsPerHour is how many tickets one chat may open through the bot
// in an hour: a chat is easier to flood from than the form.
const BotTicketsPerHour = 10

// botLists bound the bot's lists: /tickets, the tickets a plain message
// may be added to, and the comments shown with a ticket.
const (
	botListTickets  = 10
	botDraftTickets = 3
	botShowComments = 3
)

// botTickets is what the bot does for a linked chat: tickets opened,
// listed, shown and written on, through the same use cases as the pages.
type botTickets struct {
	tickets   Tickets
	chats     BotChats
	clock     Clock
	publicURL string
	submit    SubmitTicketHandler
	comment   AddCommentHandler
	change    ChangeStatusHandler
	get       GetTicketHandler
	files     BotFileFetcher // nil: files sent to the bot are refused
	limits    AttachmentLimits
}

func newBotTickets(d TelegramDeps) *botTickets {
	if d.Tickets == nil || d.BotChats == nil {
		return nil
	}
	return &botTickets{tickets: d.Tickets, chats: d.BotChats, clock: d.Clock,
		publicURL: strings.TrimRight(d.PublicURL, "/"),
		submit:    NewSubmitTicketHandler(d.Tickets, d.Clock, d.Limits).WithTargets(d.SLAPolicies),
		comment:   NewAddCommentHandler(d.Tickets, d.Clock, d.Limits),
		change:    NewChangeStatusHandler(d.Tickets, d.Clock),
		get:       NewGetTicketHandler(d.Tickets),
		files:     d.BotFiles,
		limits:    d.Limits,
	}
}

// ticketURL is the ticket's page, "" without a public URL.
func (b *botTickets) ticketURL(id int64) string { return ticketPage(b.publicURL, id) }

// handle answers a linked person's message: name is its command ("" for
// plain text).
func (b *botTickets) handle(ctx context.Context, u *domain.User, lang string, cmd HandleBotMessage, name string) (BotReply, error) {
	r := BotReply{Language: lang}
	switch name {
	case "":
	case "new":
		d, err := b.chats.Dialogue(ctx, cmd.ChatID)
		if err != nil {
			return r, fmt.Errorf("read dialogue: %w", err)
		}
		d.Step, d.Type, d.DraftKey, d.Draft, d.DraftFile, d.UpdatedAt = BotStepType, "", "", "", BotFile{}, b.clock.Now()
		if err := b.chats.SaveDialogue(ctx, d); err != nil {
			return r, fmt.Errorf("save dialogue: %w", err)
		}
		return b.chooseType(lang), nil
	case "cancel":
		d, err := b.chats.Dialogue(ctx, cmd.ChatID)
		if err != nil {
			return r, fmt.Errorf("read dialogue: %w", err)
		}
		if d.Step == BotStepNone {
			r.Kind = ReplyNoDialogue
			return r, nil
		}
		d.Step, d.Type, d.UpdatedAt = BotStepNone, "", b.clock.Now()
		if err := b.chats.SaveDialogue(ctx, d); err != nil {
			return r, fmt.Errorf("save dialogue: %w", err)
		}
		r.Kind = ReplyCancelled
		return r, nil
	case "tickets":
		return b.list(ctx, u, lang)
	case "note":
		return b.note(ctx, u, lang, cmd)
	default:
		r.Kind = ReplyHelpLinked
		return r, nil
	}
	if cmd.File != nil || cmd.Unsupported {
		return b.file(ctx, u, lang, cmd)
	}
	if !domain.ValidText(cmd.Text) || strings.TrimSpace(cmd.Text) == "" {
		r.Kind = ReplyInvalidText
		return r, nil
	}
	if id, ok, err := b.repliedTicket(ctx, cmd); err != nil {
		return r, err
	} else if ok {
		return b.addComment(ctx, u, lang, id, cmd.Text)
	}
	d, err := b.chats.Dialogue(ctx, cmd.ChatID)
	if err != nil {
		return r, fmt.Errorf("read dialogue: %w", err)
	}
	switch d.Step {
	case BotStepType:
		return b.chooseType(lang), nil
	case BotStepText:
		return b.openKept(ctx, u, lang, d, cmd.Text)
	}
	return b.draft(ctx, u, lang, d, cmd.Text)
}

// repliedTicket is the ticket of the bot's message that cmd replies to;
// ok is false when cmd replies to none, or to one not about a ticket. A
// plain message, a file and /note all thread this way, so they share it.
func (b *botTickets) repliedTicket(ctx context.Context, cmd HandleBotMessage) (id int64, ok bool, err error) {
	if cmd.ReplyTo == 0 {
		return 0, false, nil
	}
	id, err = b.chats.TicketOfMessage(ctx, cmd.ChatID, cmd.ReplyTo)
	switch {
	case errors.Is(err, ErrBotMessageUnknown):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("find the replied message: %w", err)
	}
	return id, true, nil
}

func (b *botTickets) chooseType(lang string) BotReply {
	var rows [][]BotButton
	for _, t := range domain.TicketTypes() {
		rows = append(rows, []BotButton{{Kind: ButtonType, Data: typeData(t.String()), Value: t.String()}})
	}
	return BotReply{Kind: ReplyChooseType, Language: lang, Buttons: rows}
}

// addComment writes text on ticket id as u, cut to the comment limit,
// with files attached.
func (b *botTickets) addComment(ctx context.Context, u *domain.User, lang string, id int64, text string, files ...domain.Upload) (BotReply, error) {
	r := BotReply{Language: lang, TicketID: id}
	text, r.Cut = cutAtWord(strings.TrimSpace(text), domain.CommentMaxLen)
	err := b.comment.Handle(ctx, AddComment{Actor: u, TicketID: id, Text: text, Files: files})
	if fr, ok := fileRefusal(err, b, lang); ok {
		return fr, nil
	}
	switch {
	case errors.Is(err, domain.ErrTicketNotFound), errors.Is(err, domain.ErrForbidden):
		return BotReply{Kind: ReplyTicketGone, Language: lang}, nil
	case isValidation(err):
		return BotReply{Kind: ReplyInvalidText, Language: lang}, nil
	case err != nil:
		return BotReply{Language: lang}, fmt.Errorf("add comment to ticket %d: %w", id, err)
	}
	r.Kind = ReplyCommented
	if t, err := b.tickets.Get(ctx, id); err == nil {
		r.Title, r.Status = t.Title(), t.Status().String()
		r.Buttons = TicketButtons(id, t.Status() == domain.StatusClosed, b.ticketURL(id))
	}
	return r, nil
}

func isValidation(err error) bool {
	_, ok := domain.AsValidation(err)
	return ok
}

// openTickets returns u's tickets that are not closed, newest first, at
// most n.
func (b *botTickets) openTickets(ctx context.Context, u *domain.User, n int) ([]*domain.Ticket, error) {
	var out []*domain.Ticket
	for _, st := range []domain.Status{domain.StatusOpen, domain.StatusInProgress} {
		p, err := b.tickets.Search(ctx, TicketFilter{OwnerID: u.ID(), Status: st, Page: Page{Limit: n}.Normalized()})
		if err != nil {
			return nil, fmt.Errorf("list tickets: %w", err)
		}
		out = append(out, p.Tickets...)
	}
	slices.SortFunc(out, func(a, c *domain.Ticket) int {
		if d := c.CreatedAt().Compare(a.CreatedAt()); d != 0 {
			return d
		}
		return int(c.ID() - a.ID())
	})
	return out[:min(n, len(out))], nil
}

func (b *botTickets) list(ctx context.Context, u *domain.User, lang string) (BotReply, error) {
	ts, err := b.openTickets(ctx, u, botListTickets)
	if err != nil {
		return BotReply{Language: lang}, err
	}
	if len(ts) == 0 {
		return BotReply{Kind: ReplyNoTickets, Language: lang}, nil
	}
	r := BotReply{Kind: ReplyTickets, Language: lang}
	for _, t := range ts {
		r.Tickets = append(r.Tickets, BotTicketLine{ID: t.ID(), Title: t.Title(), Status: t.Status().String()})
		r.Buttons = append(r.Buttons, []BotButton{{Kind: ButtonShow, Data: showData(t.ID()), TicketID: t.ID(), Title: t.Title()}})
	}
	return r, nil
}

// show is ticket id as u may see it, with its last comments.
func (b *botTickets) show(ctx context.Context, u *domain.User, lang string, id int64) (BotReply, error) {
	v, err := b.get.Handle(ctx, GetTicket{Actor: u, ID: id})
	if err != nil {
		return BotReply{Language: lang}, err
	}
	t := v.Ticket
	r := BotReply{Kind: ReplyTicket, Language: lang, TicketID: id, Title: t.Title(), Status: t.Status().String(),
		URL: b.ticketURL(id), Buttons: TicketButtons(id, t.Status() == domain.StatusClosed, b.ticketURL(id))}
	cs := v.Comments[max(0, len(v.Comments)-botShowComments):]
	for _, c := range cs {
		r.Comments = append(r.Comments, BotCommentLine{Author: c.AuthorName, Text: c.Text})
	}
	return r, nil
}

func (b *botTickets) now() time.Time { return b.clock.Now() }
