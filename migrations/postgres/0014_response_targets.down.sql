DROP TABLE IF EXISTS sla_policies;
DROP INDEX IF EXISTS tickets_next_due;
ALTER TABLE tickets
    DROP COLUMN IF EXISTS sla_calendar,
    DROP COLUMN IF EXISTS next_due_at,
    DROP COLUMN IF EXISTS paused_seconds,
    DROP COLUMN IF EXISTS waiting_since,
    DROP COLUMN IF EXISTS resolution_met,
    DROP COLUMN IF EXISTS response_met,
    DROP COLUMN IF EXISTS resolved_at,
    DROP COLUMN IF EXISTS first_response_at,
    DROP COLUMN IF EXISTS resolution_due_at,
    DROP COLUMN IF EXISTS response_due_at;
