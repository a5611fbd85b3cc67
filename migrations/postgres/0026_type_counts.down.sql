-- crm_ticket_counts as migration 0005 made it, then the table goes.
CREATE OR REPLACE FUNCTION crm_ticket_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ticket_counts AS c (type, status, assignee_id, shard, n)
            SELECT type, status, coalesce(assignee_id, 0), id % 8, count(*)
            FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (type, status, assignee_id, shard) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO ticket_counts AS c (type, status, assignee_id, shard, n)
            SELECT type, status, coalesce(assignee_id, 0), id % 8, -count(*)
            FROM old_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (type, status, assignee_id, shard) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO ticket_counts AS c (type, status, assignee_id, shard, n)
            SELECT type, status, assignee_id, shard, sum(d) FROM (
                SELECT type, status, coalesce(assignee_id, 0) AS assignee_id, id % 8 AS shard, 1 AS d FROM new_rows
                UNION ALL
                SELECT type, status, coalesce(assignee_id, 0), id % 8, -1 FROM old_rows
            ) changes
            GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
            ON CONFLICT (type, status, assignee_id, shard) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;

DROP TABLE ticket_type_counts;
