-- Response targets (SLA). NULL on tickets filed before targets existed,
-- and while not decided:
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
ALTER TABLE tickets
    ADD COLUMN response_due_at TIMESTAMPTZ,
    ADD COLUMN resolution_due_at TIMESTAMPTZ,
    ADD COLUMN first_response_at TIMESTAMPTZ,
    ADD COLUMN resolved_at TIMESTAMPTZ,
    ADD COLUMN response_met BOOLEAN,
    ADD COLUMN resolution_met BOOLEAN,
    ADD COLUMN waiting_since TIMESTAMPTZ,
    ADD COLUMN paused_seconds BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN next_due_at TIMESTAMPTZ,
    ADD COLUMN sla_calendar TEXT;
CREATE INDEX tickets_next_due ON tickets (next_due_at, id) WHERE next_due_at IS NOT NULL;

-- The targets per ticket type; a type without a row has the defaults
-- (4 hours, 3 days, 24x7).
CREATE TABLE sla_policies (
    type               TEXT PRIMARY KEY,
    response_seconds   BIGINT NOT NULL CHECK (response_seconds > 0),
    resolution_seconds BIGINT NOT NULL CHECK (resolution_seconds > 0),
    calendar           TEXT NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
