package application

import (
	"context"
	"fmt"

	"crm/domain"
)

// SubmitTicket files a new request on behalf of Actor, with Files attached
// to it.
type SubmitTicket struct {
	Actor *domain.User
	Title string
	Text  string
	Type  string
	Files []domain.Upload
}

type SubmitTicketHandler struct {
	tickets  Tickets
	clock    Clock
	limits   AttachmentLimits
	policies SLAPolicies // nil: every type has the default targets
}

func NewSubmitTicketHandler(tickets Tickets, clock Clock, limits AttachmentLimits) SubmitTicketHandler {
	return SubmitTicketHandler{tickets: tickets, clock: clock, limits: limits}
}

// WithTargets returns h filing tickets under the response targets stored
// in policies (the defaults without it).
func (h SubmitTicketHandler) WithTargets(policies SLAPolicies) SubmitTicketHandler {
	h.policies = policies
	return h
}

// Handle stores the ticket, owned by the actor, with its files; anyone
// logged in may submit. Errors: domain.ValidationErrors naming every wrong
// field, "files" among them when the files break the limits or are not
// files the desk keeps (nothing is stored then).
func (h SubmitTicketHandler) Handle(ctx context.Context, cmd SubmitTicket) (*domain.Ticket, error) {
	t, err := domain.NewTicket(cmd.Actor, cmd.Title, cmd.Text, cmd.Type, h.clock.Now(), cmd.Files...)
	if lerr := h.limits.Check(cmd.Files); lerr != nil {
		// The limits first: a file over them is refused for that, whatever
		// else is wrong with it.
		errs, _ := domain.AsValidation(err)
		return nil, append(domain.ValidationErrors{lerr.(domain.ValidationError)}, withoutField(errs, "files")...)
	}
	if err != nil {
		return nil, err
	}
	policy, err := policyFor(ctx, h.policies, t.Type())
	if err != nil {
		return nil, err
	}
	t.StartTargets(policy)
	if err := h.tickets.Add(ctx, t); err != nil {
		return nil, fmt.Errorf("add ticket: %w", err)
	}
	return t, nil
}

// withoutField returns errs without those on field.
func withoutField(errs domain.ValidationErrors, field string) domain.ValidationErrors {
	var out domain.ValidationErrors
	for _, e := range errs {
		if e.Field != field {
			out = append(out, e)
		}
	}
	return out
}
