-- Reports: figures per UTC day (days since 1970-01-01), ticket type and
-- assignee (0: nobody), kept by triggers in the same transaction as the
-- change, so that a report of a year reads a few thousand rows of one
-- primary-key range instead of every ticket of the year.
--   opened      tickets created that day (assignee_id always 0: a new
--               ticket has nobody yet; the reports count opened by type)
--   closed      closings that day (a ticket closed, reopened and closed
--               again counts twice), under the ticket's assignee then
--   rating_sum, rating_n
--               the owners' current ratings given that day; a reopening
--               clears a rating and takes it out again
-- Each row is split over 8 shards (by ticket id), as ticket_counts is, so
-- that concurrent writers of one day rarely wait on one row.
CREATE TABLE report_days (
    day         BIGINT   NOT NULL,
    type        TEXT     NOT NULL,
    assignee_id BIGINT   NOT NULL,
    shard       SMALLINT NOT NULL,
    opened      BIGINT   NOT NULL DEFAULT 0,
    closed      BIGINT   NOT NULL DEFAULT 0,
    rating_sum  BIGINT   NOT NULL DEFAULT 0,
    rating_n    BIGINT   NOT NULL DEFAULT 0,
    PRIMARY KEY (day, type, assignee_id, shard)
);

-- crm_day is the UTC day of t, counted from 1970-01-01.
CREATE FUNCTION crm_day(t TIMESTAMPTZ) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN floor(extract(epoch FROM t) / 86400)::bigint;

INSERT INTO report_days (day, type, assignee_id, shard, opened, closed, rating_sum, rating_n)
    SELECT day, type, assignee_id, shard, sum(opened), sum(closed), sum(rating_sum), sum(rating_n) FROM (
        SELECT crm_day(created_at) AS day, type, 0::bigint AS assignee_id, (id % 8)::smallint AS shard,
               1 AS opened, 0 AS closed, 0 AS rating_sum, 0 AS rating_n
            FROM tickets
        UNION ALL
        SELECT crm_day(h.at), t.type, coalesce(t.assignee_id, 0), (t.id % 8)::smallint, 0, 1, 0, 0
            FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id WHERE h.to_status = 'closed'
        UNION ALL
        SELECT crm_day(rated_at), type, coalesce(assignee_id, 0), (id % 8)::smallint, 0, 0, rating, 1
            FROM tickets WHERE rating IS NOT NULL
    ) c GROUP BY 1, 2, 3, 4;

-- The triggers run once per statement over its transition tables, so a
-- COPY of thousands of tickets changes each row once; changes are written
-- in key order, so two statements never wait on each other in a cycle.
CREATE FUNCTION crm_report_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO report_days AS r (day, type, assignee_id, shard, opened, rating_sum, rating_n)
            SELECT day, type, assignee_id, shard, sum(opened), sum(rating_sum), sum(rating_n) FROM (
                SELECT crm_day(created_at) AS day, type, 0::bigint AS assignee_id, (id % 8)::smallint AS shard,
                       1 AS opened, 0 AS rating_sum, 0 AS rating_n
                    FROM new_rows
                UNION ALL
                SELECT crm_day(rated_at), type, coalesce(assignee_id, 0), (id % 8)::smallint, 0, rating, 1
                    FROM new_rows WHERE rating IS NOT NULL
            ) c
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (day, type, assignee_id, shard) DO UPDATE SET opened = r.opened + excluded.opened,
                rating_sum = r.rating_sum + excluded.rating_sum, rating_n = r.rating_n + excluded.rating_n;
    ELSE
        INSERT INTO report_days AS r (day, type, assignee_id, shard, rating_sum, rating_n)
            SELECT day, type, assignee_id, shard, sum(rating_sum), sum(rating_n) FROM (
                SELECT crm_day(n.rated_at) AS day, n.type, coalesce(n.assignee_id, 0) AS assignee_id,
                       (n.id % 8)::smallint AS shard, n.rating AS rating_sum, 1 AS rating_n
                    FROM new_rows n JOIN old_rows o ON o.id = n.id
                    WHERE n.rating IS NOT NULL AND (o.rating, o.rated_at) IS DISTINCT FROM (n.rating, n.rated_at)
                UNION ALL
                SELECT crm_day(o.rated_at), o.type, coalesce(o.assignee_id, 0), (o.id % 8)::smallint, -o.rating, -1
                    FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE o.rating IS NOT NULL AND (o.rating, o.rated_at) IS DISTINCT FROM (n.rating, n.rated_at)
            ) c
            GROUP BY 1, 2, 3, 4 HAVING sum(rating_n) <> 0 OR sum(rating_sum) <> 0 ORDER BY 1, 2, 3, 4
            ON CONFLICT (day, type, assignee_id, shard) DO UPDATE SET
                rating_sum = r.rating_sum + excluded.rating_sum, rating_n = r.rating_n + excluded.rating_n;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER report_days_ticket_insert AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_report_tickets();
CREATE TRIGGER report_days_ticket_update AFTER UPDATE ON tickets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_report_tickets();

CREATE FUNCTION crm_report_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_days AS r (day, type, assignee_id, shard, closed)
        SELECT crm_day(h.at), t.type, coalesce(t.assignee_id, 0), (t.id % 8)::smallint, count(*)
            FROM new_rows h JOIN tickets t ON t.id = h.ticket_id
            WHERE h.to_status = 'closed'
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, type, assignee_id, shard) DO UPDATE SET closed = r.closed + excluded.closed;
    RETURN NULL;
END
$$;

CREATE TRIGGER report_days_closed AFTER INSERT ON ticket_history
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_report_closed();
