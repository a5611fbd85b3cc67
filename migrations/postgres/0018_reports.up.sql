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
--   responses, response_seconds, responses_judged, responses_met
--               first responses that day (migration 0014's
--               first_response_at), the seconds from the ticket's
--               creation, how many had a target and how many met it
--   resolutions, resolution_seconds, resolutions_judged, resolutions_met
--               the same of resolved_at (the last closing; a reopening
--               takes it out again)
-- report_durations counts the same response and resolution times per
-- day in buckets 5% wide (bucket b holds the seconds s with
-- floor(ln(max(s, 1)) / ln(1.05)) = b), for medians and percentiles.
-- Each row of report_days is split over 8 shards (by ticket id), as
-- ticket_counts is, so that concurrent writers of one day rarely wait on
-- one row.
CREATE TABLE report_days (
    day                BIGINT   NOT NULL,
    type               TEXT     NOT NULL,
    assignee_id        BIGINT   NOT NULL,
    shard              SMALLINT NOT NULL,
    opened             BIGINT   NOT NULL DEFAULT 0,
    closed             BIGINT   NOT NULL DEFAULT 0,
    rating_sum         BIGINT   NOT NULL DEFAULT 0,
    rating_n           BIGINT   NOT NULL DEFAULT 0,
    responses          BIGINT   NOT NULL DEFAULT 0,
    response_seconds   BIGINT   NOT NULL DEFAULT 0,
    responses_judged   BIGINT   NOT NULL DEFAULT 0,
    responses_met      BIGINT   NOT NULL DEFAULT 0,
    resolutions        BIGINT   NOT NULL DEFAULT 0,
    resolution_seconds BIGINT   NOT NULL DEFAULT 0,
    resolutions_judged BIGINT   NOT NULL DEFAULT 0,
    resolutions_met    BIGINT   NOT NULL DEFAULT 0,
    PRIMARY KEY (day, type, assignee_id, shard)
);

-- report_durations is not sharded: a year of it is already some 40,000
-- rows (a hundred buckets a day per metric), and two writers meet on one
-- row only when both times fall in the same 5% bucket the same day.
CREATE TABLE report_durations (
    day    BIGINT   NOT NULL,
    metric SMALLINT NOT NULL CHECK (metric IN (1, 2)), -- 1 first response, 2 resolution
    bucket INTEGER  NOT NULL,
    n      BIGINT   NOT NULL,
    PRIMARY KEY (day, metric, bucket)
);

-- crm_day is the UTC day of t, counted from 1970-01-01.
CREATE FUNCTION crm_day(t TIMESTAMPTZ) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN floor(extract(epoch FROM t) / 86400)::bigint;

-- crm_seconds is the whole seconds from a to b.
CREATE FUNCTION crm_seconds(a TIMESTAMPTZ, b TIMESTAMPTZ) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN floor(extract(epoch FROM b - a))::bigint;

-- crm_duration_bucket is the 5% bucket of s seconds (see report_durations).
CREATE FUNCTION crm_duration_bucket(s BIGINT) RETURNS INTEGER LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN floor(ln(greatest(s, 1)) / ln(1.05))::integer;

-- crm_report_sql returns the two statements that add the figures of facts
-- (the SQL of a row source with the columns sign, fresh, id, type,
-- assignee_id, created_at, rating, rated_at, first_response_at,
-- response_met, resolved_at, resolution_met; sign -1 takes a row's
-- figures out, fresh counts it opened) to report_days and
-- report_durations. The trigger runs them with EXECUTE, which sees its
-- transition tables; the migration runs them once over every ticket.
CREATE FUNCTION crm_report_sql(facts TEXT) RETURNS TEXT[] LANGUAGE sql IMMUTABLE
RETURN ARRAY[
    'WITH f AS (' || facts || ')
    INSERT INTO report_days AS r (day, type, assignee_id, shard, opened, rating_sum, rating_n,
        responses, response_seconds, responses_judged, responses_met,
        resolutions, resolution_seconds, resolutions_judged, resolutions_met)
    SELECT day, type, assignee_id, shard, sum(opened), sum(rating_sum), sum(rating_n),
        sum(responses), sum(response_seconds), sum(responses_judged), sum(responses_met),
        sum(resolutions), sum(resolution_seconds), sum(resolutions_judged), sum(resolutions_met)
    FROM (
        SELECT crm_day(created_at) AS day, type, 0::bigint AS assignee_id, (id % 8)::smallint AS shard,
               1 AS opened, 0 AS rating_sum, 0 AS rating_n,
               0 AS responses, 0::bigint AS response_seconds, 0 AS responses_judged, 0 AS responses_met,
               0 AS resolutions, 0::bigint AS resolution_seconds, 0 AS resolutions_judged, 0 AS resolutions_met
            FROM f WHERE fresh
        UNION ALL
        SELECT crm_day(rated_at), type, coalesce(assignee_id, 0), (id % 8)::smallint,
               0, sign * rating, sign, 0, 0, 0, 0, 0, 0, 0, 0
            FROM f WHERE rating IS NOT NULL
        UNION ALL
        SELECT crm_day(first_response_at), type, coalesce(assignee_id, 0), (id % 8)::smallint,
               0, 0, 0, sign, sign * crm_seconds(created_at, first_response_at),
               sign * (response_met IS NOT NULL)::int, sign * coalesce(response_met, false)::int, 0, 0, 0, 0
            FROM f WHERE first_response_at IS NOT NULL
        UNION ALL
        SELECT crm_day(resolved_at), type, coalesce(assignee_id, 0), (id % 8)::smallint,
               0, 0, 0, 0, 0, 0, 0, sign, sign * crm_seconds(created_at, resolved_at),
               sign * (resolution_met IS NOT NULL)::int, sign * coalesce(resolution_met, false)::int
            FROM f WHERE resolved_at IS NOT NULL
    ) c
    GROUP BY 1, 2, 3, 4
    HAVING sum(opened) <> 0 OR sum(rating_n) <> 0 OR sum(rating_sum) <> 0 OR sum(responses) <> 0
        OR sum(response_seconds) <> 0 OR sum(responses_judged) <> 0 OR sum(responses_met) <> 0
        OR sum(resolutions) <> 0 OR sum(resolution_seconds) <> 0 OR sum(resolutions_judged) <> 0
        OR sum(resolutions_met) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (day, type, assignee_id, shard) DO UPDATE SET
        opened = r.opened + excluded.opened,
        rating_sum = r.rating_sum + excluded.rating_sum, rating_n = r.rating_n + excluded.rating_n,
        responses = r.responses + excluded.responses, response_seconds = r.response_seconds + excluded.response_seconds,
        responses_judged = r.responses_judged + excluded.responses_judged,
        responses_met = r.responses_met + excluded.responses_met,
        resolutions = r.resolutions + excluded.resolutions,
        resolution_seconds = r.resolution_seconds + excluded.resolution_seconds,
        resolutions_judged = r.resolutions_judged + excluded.resolutions_judged,
        resolutions_met = r.resolutions_met + excluded.resolutions_met',
    'WITH f AS (' || facts || ')
    INSERT INTO report_durations AS d (day, metric, bucket, n)
    SELECT day, metric, bucket, sum(n) FROM (
        SELECT crm_day(first_response_at) AS day, 1::smallint AS metric,
               crm_duration_bucket(crm_seconds(created_at, first_response_at)) AS bucket, sign AS n
            FROM f WHERE first_response_at IS NOT NULL
        UNION ALL
        SELECT crm_day(resolved_at), 2::smallint, crm_duration_bucket(crm_seconds(created_at, resolved_at)), sign
            FROM f WHERE resolved_at IS NOT NULL
    ) c
    GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (day, metric, bucket) DO UPDATE SET n = d.n + excluded.n'
];

-- The columns of a fact, after sign and fresh.
CREATE FUNCTION crm_report_columns(alias TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE
RETURN replace('$.id, $.type, $.assignee_id, $.created_at, $.rating, $.rated_at, $.first_response_at,
    $.response_met, $.resolved_at, $.resolution_met', '$', alias);

DO $$
DECLARE q TEXT;
BEGIN
    FOREACH q IN ARRAY crm_report_sql('SELECT 1 AS sign, true AS fresh, ' || crm_report_columns('t') || ' FROM tickets t') LOOP
        EXECUTE q;
    END LOOP;
END
$$;

INSERT INTO report_days AS r (day, type, assignee_id, shard, closed)
    SELECT crm_day(h.at), t.type, coalesce(t.assignee_id, 0), (t.id % 8)::smallint, count(*)
        FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id
        WHERE h.to_status = 'closed'
        GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, type, assignee_id, shard) DO UPDATE SET closed = r.closed + excluded.closed;

-- The triggers run once per statement over its transition tables, so a
-- COPY of thousands of tickets changes each row once; changes are written
-- in key order, so two statements never wait on each other in a cycle. An
-- update takes out the old figures of a ticket whose rating, response or
-- resolution changed and adds its new ones.
CREATE FUNCTION crm_report_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    facts TEXT;
    q     TEXT;
    changed CONSTANT TEXT := '(o.rating, o.rated_at, o.first_response_at, o.response_met, o.resolved_at, o.resolution_met)
        IS DISTINCT FROM (n.rating, n.rated_at, n.first_response_at, n.response_met, n.resolved_at, n.resolution_met)';
BEGIN
    -- Most updates (a comment, a status, an assignee) change none of the
    -- figures: a planned query says so before any dynamic SQL is run.
    -- (Nested: an INSERT has no old_rows to plan the query with.)
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
