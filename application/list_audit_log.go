package application

import (
	"context"

	"crm/domain"
)

// auditKinds are the events that make up the admin audit log: changes of
// people's roles and access, deleted files (which leave no other trace)
// and merged tickets (which move a whole thread).
var auditKinds = []string{domain.KindUserRoleChanged, domain.KindUserActiveChanged, domain.KindAttachmentDeleted,
	domain.KindTicketMerged}

// ListAuditLog reads the admin actions, newest first.
type ListAuditLog struct {
	Actor  *domain.User
	Before int64
	Limit  int
}

type ListAuditLogHandler struct {
	events EventLog
}

func NewListAuditLogHandler(events EventLog) ListAuditLogHandler {
	return ListAuditLogHandler{events: events}
}

// Handle returns one page of role and activation changes, deleted files
// and merges, or ErrForbidden for non-admins.
func (h ListAuditLogHandler) Handle(ctx context.Context, q ListAuditLog) ([]domain.StoredEvent, error) {
	if !q.Actor.IsAdmin() {
		return nil, domain.ErrForbidden
	}
	p := Page{Before: q.Before, Limit: q.Limit}.Normalized()
	return h.events.ListEvents(ctx, auditKinds, p.Before, p.Limit)
}
