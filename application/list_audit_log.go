package application

import (
	"context"

	"crm/domain"
)

// auditKinds are the events that make up the admin audit log.
var auditKinds = []string{domain.KindUserRoleChanged, domain.KindUserActiveChanged}

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

// Handle returns one page of role and activation changes, or ErrForbidden
// for non-admins.
func (h ListAuditLogHandler) Handle(ctx context.Context, q ListAuditLog) ([]domain.StoredEvent, error) {
	if !q.Actor.IsAdmin() {
		return nil, domain.ErrForbidden
	}
	p := Page{Before: q.Before, Limit: q.Limit}.Normalized()
	return h.events.ListEvents(ctx, auditKinds, p.Before, p.Limit)
}
