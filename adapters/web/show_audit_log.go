package web

import (
	"net/http"
	"time"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// auditEntry is one line of the audit log, worded in the reader's language.
type auditEntry struct {
	At   time.Time
	By   string
	What string
}

type auditPage struct {
	layout
	Entries []auditEntry
	Pager   pager
}

// showAuditLog answers GET /admin/audit: admin actions, newest first,
// paged by ?before=<event id>.
func (h *Handler) showAuditLog(w http.ResponseWriter, r *http.Request, v *visitor) error {
	before := queryInt64(r, "before")
	limit := application.DefaultPageSize
	events, err := h.app.ListAuditLog.Handle(r.Context(), application.ListAuditLog{
		Actor: v.User, Before: before, Limit: limit,
	})
	if err != nil {
		return err
	}
	p := &auditPage{layout: layout{Section: "audit"}}
	for _, e := range events {
		p.Entries = append(p.Entries, describeAudit(v.Lang, e))
	}
	var next int64
	if len(events) == limit {
		next = events[len(events)-1].ID
	}
	p.Pager = newPager("/admin/audit", nil, before, next)
	return h.render(w, r, v, http.StatusOK, "audit", p)
}

// describeAudit words one stored admin action.
func describeAudit(lang string, e domain.StoredEvent) auditEntry {
	switch ev := e.Event.(type) {
	case domain.UserRoleChanged:
		return auditEntry{At: e.At, By: ev.ByName, What: i18n.Message(lang, "audit.role_changed",
			"user", ev.Username, "from", i18n.Message(lang, "role."+ev.From), "to", i18n.Message(lang, "role."+ev.To))}
	case domain.UserActiveChanged:
		key := "audit.deactivated"
		if ev.Active {
			key = "audit.activated"
		}
		return auditEntry{At: e.At, By: ev.ByName, What: i18n.Message(lang, key, "user", ev.Username)}
	case domain.AttachmentDeleted:
		return auditEntry{At: e.At, By: ev.ByName, What: i18n.Message(lang, "audit.attachment_deleted",
			"name", ev.Name, "id", ev.TicketID)}
	case domain.TicketMerged:
		return auditEntry{At: e.At, By: ev.ByName, What: i18n.Message(lang, "merge.audit",
			"id", ev.TicketID, "into", ev.IntoID)}
	default:
		return auditEntry{At: e.At, What: e.Kind}
	}
}
