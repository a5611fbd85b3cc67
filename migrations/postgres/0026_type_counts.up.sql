-- The queue's counts per status with no assignee filter (the queue as it
-- opens, or filtered by status or type) added up ticket_counts over every
-- assignee and shard on every page view: 432 rows with five staff
-- members, 72 more for each one added. At a million tickets that query
-- took 76 µs a run (pgbench, two clients, with theirs) against 29 µs for
-- 72 rows. ticket_type_counts keeps the same counts without the assignee,
-- in the same statement as ticket_counts, so they add up 72 rows however
-- many staff there are. Its shards spread concurrent writers as
-- ticket_counts' do.
CREATE TABLE ticket_type_counts (
    type   TEXT     NOT NULL,
    status TEXT     NOT NULL,
    shard  SMALLINT NOT NULL,
    n      BIGINT   NOT NULL,
    PRIMARY KEY (type, status, shard)
);

INSERT INTO ticket_type_counts (type, status, shard, n)
    SELECT type, status, id % 8, count(*) FROM tickets GROUP BY 1, 2, 3;

-- As in migration 0005, each change written in key order, ticket_counts'
-- first, so that two statements never wait on each other's counts in a
-- cycle; a change that moves no count writes nothing.
CREATE OR REPLACE FUNCTION crm_ticket_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ticket_counts AS c (type, status, assignee_id, shard, n)
            SELECT type, status, coalesce(assignee_id, 0), id % 8, count(*)
            FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (type, status, assignee_id, shard) DO UPDATE SET n = c.n + excluded.n;
        INSERT INTO ticket_type_counts AS c (type, status, shard, n)
            SELECT type, status, id % 8, count(*)
            FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (type, status, shard) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO ticket_counts AS c (type, status, assignee_id, shard, n)
            SELECT type, status, coalesce(assignee_id, 0), id % 8, -count(*)
            FROM old_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (type, status, assignee_id, shard) DO UPDATE SET n = c.n + excluded.n;
        INSERT INTO ticket_type_counts AS c (type, status, shard, n)
            SELECT type, status, id % 8, -count(*)
            FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (type, status, shard) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO ticket_counts AS c (type, status, assignee_id, shard, n)
            SELECT type, status, assignee_id, shard, sum(d) FROM (
                SELECT type, status, coalesce(assignee_id, 0) AS assignee_id, id % 8 AS shard, 1 AS d FROM new_rows
                UNION ALL
                SELECT type, status, coalesce(assignee_id, 0), id % 8, -1 FROM old_rows
            ) changes
            GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
            ON CONFLICT (type, status, assignee_id, shard) DO UPDATE SET n = c.n + excluded.n;
        INSERT INTO ticket_type_counts AS c (type, status, shard, n)
            SELECT type, status, shard, sum(d) FROM (
                SELECT type, status, id % 8 AS shard, 1 AS d FROM new_rows
                UNION ALL
                SELECT type, status, id % 8, -1 FROM old_rows
            ) changes
            GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (type, status, shard) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
