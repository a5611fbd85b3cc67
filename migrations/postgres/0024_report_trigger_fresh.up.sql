-- A new ticket moves one figure of the report: the tickets opened that
-- day. The report trigger of migration 0023 still ran, for every
-- submission, its two statements over all the figures: the one of
-- report_days adds up four kinds of facts and the one of report_durations
-- finds nothing (no new ticket has a response or a resolution yet), about
-- a fifth of the database's own work on the submission. Inserted rows that
-- carry no rating, response or resolution (every submission; the demo
-- loader and merges may carry them) now add to opened alone; the others
-- take 0023's statements, which count the same for the fresh ones.
DO $do$
DECLARE
    changed CONSTANT TEXT := '(o.rating, o.rated_at, o.first_response_at, o.response_met, o.resolved_at, o.resolution_met)
        IS DISTINCT FROM (n.rating, n.rated_at, n.first_response_at, n.response_met, n.resolved_at, n.resolution_met)';
    inserted CONSTANT TEXT[] := crm_report_sql('SELECT 1 AS sign, true AS fresh, ' || crm_report_columns('n') ||
        ' FROM new_rows n');
    updated CONSTANT TEXT[] := crm_report_sql('SELECT 1 AS sign, false AS fresh, ' || crm_report_columns('n') ||
        ' FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ' || changed ||
        ' UNION ALL SELECT -1, false, ' || crm_report_columns('o') ||
        ' FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ' || changed);
BEGIN
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION crm_report_tickets() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows n
            WHERE n.rating IS NOT NULL OR n.first_response_at IS NOT NULL OR n.resolved_at IS NOT NULL)
        THEN
            INSERT INTO report_days AS r (day, type, assignee_id, shard, opened)
                SELECT crm_day(n.created_at), n.type, 0, (n.id %% 8)::smallint, count(*) FROM new_rows n
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                ON CONFLICT (day, type, assignee_id, shard) DO UPDATE SET opened = r.opened + excluded.opened;
        ELSE
            %s;
            %s;
        END IF;
    ELSIF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE %s) THEN
        %s;
        %s;
    END IF;
    RETURN NULL;
END
$body$$f$, inserted[1], inserted[2], changed, updated[1], updated[2]);
END
$do$;
