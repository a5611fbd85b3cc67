-- The number of each person's tickets in each status, kept by statement
-- triggers like ticket_counts, so that "My tickets" counts without reading
-- every ticket of someone who files thousands (an integration, a busy
-- office). Changes are written in key order (see ticket_counts).
CREATE TABLE owner_ticket_counts (
    owner_id BIGINT NOT NULL,
    status   TEXT   NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (owner_id, status)
);

INSERT INTO owner_ticket_counts (owner_id, status, n)
    SELECT owner_id, status, count(*) FROM tickets GROUP BY 1, 2;

CREATE FUNCTION crm_owner_ticket_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO owner_ticket_counts AS c (owner_id, status, n)
            SELECT owner_id, status, count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (owner_id, status) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO owner_ticket_counts AS c (owner_id, status, n)
            SELECT owner_id, status, -count(*) FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (owner_id, status) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO owner_ticket_counts AS c (owner_id, status, n)
            SELECT owner_id, status, sum(d) FROM (
                SELECT owner_id, status, 1 AS d FROM new_rows
                UNION ALL
                SELECT owner_id, status, -1 FROM old_rows
            ) changes
            GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
            ON CONFLICT (owner_id, status) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tickets_owner_count_insert AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_owner_ticket_counts();
CREATE TRIGGER tickets_owner_count_update AFTER UPDATE ON tickets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_owner_ticket_counts();
CREATE TRIGGER tickets_owner_count_delete AFTER DELETE ON tickets
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_owner_ticket_counts();
