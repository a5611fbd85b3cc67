package sqlstore

import (
	"context"
	"fmt"

	"crm/domain"
)

// addTicketAtOnce is Postgres's Dialect.addTicket: a new ticket with
// nothing but its TicketSubmitted event (what a submission is, files and
// history aside) goes in one statement, the event inserted by a
// data-modifying WITH from the id the ticket gets. One statement is one
// transaction on PostgreSQL, so the ticket and its event still commit
// together or not at all; but the submission costs one round trip instead
// of four (BEGIN, the ticket, the event, COMMIT), and the rows its triggers
// update (the counts, the report) stay locked for the statement rather than
// for three round trips more, while 31 other submissions wait for the same
// rows. The event is encoded with ticket id 0, which the statement sets
// (jsonb_set), as SetID does in the domain. Anything else returns false,
// for the general way.
func addTicketAtOnce(ctx context.Context, s *Store, t *domain.Ticket) (bool, error) {
	events := t.Events()
	if len(events) != 1 || len(t.History()) != 0 || len(t.Comments()) != 0 ||
		len(t.PendingUploads()) != 0 || len(t.RemovedAttachments()) != 0 {
		return false, nil
	}
	sub, ok := events[0].(domain.TicketSubmitted)
	if !ok || sub.TicketID != 0 {
		return false, nil
	}
	payload, err := domain.EncodeEvent(sub)
	if err != nil {
		return true, fmt.Errorf("encode %s: %w", sub.EventKind(), err)
	}
	const q = `WITH t AS (` + insertTicket + ticketValues + ` RETURNING id),
		e AS (INSERT INTO events (kind, stream, payload, created_at)
			SELECT ?, ? || t.id, jsonb_set(?::jsonb, '{ticket_id}', to_jsonb(t.id)), ?::timestamptz FROM t)
		SELECT id FROM t`
	// The stream key is the prefix and the id the ticket gets.
	args := append(ticketArgs(t), sub.EventKind(), domain.TicketStreamPrefix, string(payload), eventTime(payload))
	var id int64
	if err := s.get(ctx, nil, &id, q, args...); err != nil {
		return true, fmt.Errorf("insert ticket: %w", err)
	}
	t.SetID(id) // stamps the id on TicketSubmitted, as the statement did on the stored event
	return true, nil
}
