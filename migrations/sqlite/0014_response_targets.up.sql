-- Response targets (SLA). Times are INTEGER unix microseconds, UTC, as the
-- other ticket times; booleans are 0/1. All are NULL on tickets filed
-- before targets existed, and while not decided:
--   response_due_at, resolution_due_at: when the first response and the
--     resolution are due (moved later by the working time of each pause);
--   first_response_at: the first public staff comment or staff status change;
--   resolved_at: the last closing (cleared on reopening);
--   response_met, resolution_met: set at the first response / the closing
--     (met = at or before the due time), resolution_met cleared on reopening;
--   waiting_since: the clock is stopped (staff asked the owner, or closed);
--   paused_seconds: the working time of every ended pause;
--   next_due_at: the earliest pending due time, NULL when none is pending
--     (closed, paused, no targets): the queue's overdue filter and due
--     order read its index;
--   sla_calendar: the calendar of the policy the ticket was filed under
--     ("24x7" or "Europe/Berlin; mon 09:00-18:00; ...").
ALTER TABLE tickets ADD COLUMN response_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
ALTER TABLE tickets ADD COLUMN resolved_at INTEGER;
ALTER TABLE tickets ADD COLUMN response_met INTEGER CHECK (response_met IN (0, 1));
ALTER TABLE tickets ADD COLUMN resolution_met INTEGER CHECK (resolution_met IN (0, 1));
ALTER TABLE tickets ADD COLUMN waiting_since INTEGER;
ALTER TABLE tickets ADD COLUMN paused_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN next_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_calendar TEXT;
CREATE INDEX tickets_next_due ON tickets (next_due_at, id) WHERE next_due_at IS NOT NULL;

-- The targets per ticket type; a type without a row has the defaults
-- (4 hours, 3 days, 24x7).
CREATE TABLE sla_policies (
    type               TEXT PRIMARY KEY,
    response_seconds   INTEGER NOT NULL CHECK (response_seconds > 0),
    resolution_seconds INTEGER NOT NULL CHECK (resolution_seconds > 0),
    calendar           TEXT NOT NULL,
    updated_at         INTEGER NOT NULL
);
