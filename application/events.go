package application

import (
	"context"

	"crm/domain"
)

// EventLog reads back the stored events; the admin audit log is built from
// it.
type EventLog interface {
	// ListEvents returns up to limit events of the given kinds with ids
	// below before (0: from the newest), newest first.
	ListEvents(ctx context.Context, kinds []string, before int64, limit int) ([]domain.StoredEvent, error)
}
