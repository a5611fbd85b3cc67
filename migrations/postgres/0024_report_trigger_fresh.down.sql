-- Back to migration 0023's report trigger, which runs both statements for
-- every insert.
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
    -- PL/pgSQL plans a statement when it first runs it, so the UPDATE
    -- branch, which reads old_rows, is never planned for an INSERT (that
    -- has none). Most updates (a comment, a status, an assignee) change
    -- none of the figures: the EXISTS says so before anything is written.
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION crm_report_tickets() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        %s;
        %s;
    ELSIF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE %s) THEN
        %s;
        %s;
    END IF;
    RETURN NULL;
END
$body$$f$, inserted[1], inserted[2], changed, updated[1], updated[2]);
END
$do$;
