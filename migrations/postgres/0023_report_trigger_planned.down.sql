CREATE OR REPLACE FUNCTION crm_report_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    facts TEXT;
    q     TEXT;
    changed CONSTANT TEXT := '(o.rating, o.rated_at, o.first_response_at, o.response_met, o.resolved_at, o.resolution_met)
        IS DISTINCT FROM (n.rating, n.rated_at, n.first_response_at, n.response_met, n.resolved_at, n.resolution_met)';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (o.rating, o.rated_at, o.first_response_at, o.response_met, o.resolved_at, o.resolution_met)
                IS DISTINCT FROM (n.rating, n.rated_at, n.first_response_at, n.response_met, n.resolved_at, n.resolution_met))
        THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP = 'INSERT' THEN
        facts := 'SELECT 1 AS sign, true AS fresh, ' || crm_report_columns('n') || ' FROM new_rows n';
    ELSE
        facts := 'SELECT 1 AS sign, false AS fresh, ' || crm_report_columns('n') ||
            ' FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ' || changed ||
            ' UNION ALL SELECT -1, false, ' || crm_report_columns('o') ||
            ' FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ' || changed;
    END IF;
    FOREACH q IN ARRAY crm_report_sql(facts) LOOP
        EXECUTE q;
    END LOOP;
    RETURN NULL;
END
$$;
