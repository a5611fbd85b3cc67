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
-- Times are INTEGER unix microseconds: a day is 86400000000 of them.
CREATE TABLE report_days (
    day                INTEGER NOT NULL,
    type               TEXT    NOT NULL,
    assignee_id        INTEGER NOT NULL,
    opened             INTEGER NOT NULL DEFAULT 0,
    closed             INTEGER NOT NULL DEFAULT 0,
    rating_sum         INTEGER NOT NULL DEFAULT 0,
    rating_n           INTEGER NOT NULL DEFAULT 0,
    responses          INTEGER NOT NULL DEFAULT 0,
    response_seconds   INTEGER NOT NULL DEFAULT 0,
    responses_judged   INTEGER NOT NULL DEFAULT 0,
    responses_met      INTEGER NOT NULL DEFAULT 0,
    resolutions        INTEGER NOT NULL DEFAULT 0,
    resolution_seconds INTEGER NOT NULL DEFAULT 0,
    resolutions_judged INTEGER NOT NULL DEFAULT 0,
    resolutions_met    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, type, assignee_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_durations (
    day    INTEGER NOT NULL,
    metric INTEGER NOT NULL CHECK (metric IN (1, 2)), -- 1 first response, 2 resolution
    bucket INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (day, metric, bucket)
) STRICT, WITHOUT ROWID;

-- The figures of the tickets stored so far.
INSERT INTO report_days (day, type, assignee_id, opened, closed, rating_sum, rating_n,
        responses, response_seconds, responses_judged, responses_met,
        resolutions, resolution_seconds, resolutions_judged, resolutions_met)
    SELECT day, type, assignee_id, sum(opened), sum(closed), sum(rating_sum), sum(rating_n),
        sum(responses), sum(response_seconds), sum(responses_judged), sum(responses_met),
        sum(resolutions), sum(resolution_seconds), sum(resolutions_judged), sum(resolutions_met)
    FROM (
        SELECT created_at / 86400000000 AS day, type, 0 AS assignee_id, 1 AS opened, 0 AS closed,
               0 AS rating_sum, 0 AS rating_n, 0 AS responses, 0 AS response_seconds, 0 AS responses_judged,
               0 AS responses_met, 0 AS resolutions, 0 AS resolution_seconds, 0 AS resolutions_judged,
               0 AS resolutions_met
            FROM tickets
        UNION ALL
        SELECT h.at / 86400000000, t.type, coalesce(t.assignee_id, 0), 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id WHERE h.to_status = 'closed'
        UNION ALL
        SELECT rated_at / 86400000000, type, coalesce(assignee_id, 0), 0, 0, rating, 1, 0, 0, 0, 0, 0, 0, 0, 0
            FROM tickets WHERE rating IS NOT NULL
        UNION ALL
        SELECT first_response_at / 86400000000, type, coalesce(assignee_id, 0), 0, 0, 0, 0,
               1, (first_response_at - created_at) / 1000000, response_met IS NOT NULL, coalesce(response_met, 0),
               0, 0, 0, 0
            FROM tickets WHERE first_response_at IS NOT NULL
        UNION ALL
        SELECT resolved_at / 86400000000, type, coalesce(assignee_id, 0), 0, 0, 0, 0, 0, 0, 0, 0,
               1, (resolved_at - created_at) / 1000000, resolution_met IS NOT NULL, coalesce(resolution_met, 0)
            FROM tickets WHERE resolved_at IS NOT NULL
    ) GROUP BY 1, 2, 3;

INSERT INTO report_durations (day, metric, bucket, n)
    SELECT day, metric, bucket, count(*) FROM (
        SELECT first_response_at / 86400000000 AS day, 1 AS metric,
               CAST(floor(ln(max((first_response_at - created_at) / 1000000, 1)) / ln(1.05)) AS INTEGER) AS bucket
            FROM tickets WHERE first_response_at IS NOT NULL
        UNION ALL
        SELECT resolved_at / 86400000000, 2,
               CAST(floor(ln(max((resolved_at - created_at) / 1000000, 1)) / ln(1.05)) AS INTEGER)
            FROM tickets WHERE resolved_at IS NOT NULL
    ) GROUP BY 1, 2, 3;

CREATE TRIGGER report_days_ticket_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO report_days (day, type, assignee_id, opened) VALUES (new.created_at / 86400000000, new.type, 0, 1)
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET opened = opened + 1;
    INSERT INTO report_days (day, type, assignee_id, rating_sum, rating_n)
        SELECT new.rated_at / 86400000000, new.type, coalesce(new.assignee_id, 0), new.rating, 1 WHERE new.rating IS NOT NULL
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET rating_sum = rating_sum + excluded.rating_sum, rating_n = rating_n + 1;
    INSERT INTO report_days (day, type, assignee_id, responses, response_seconds, responses_judged, responses_met)
        SELECT new.first_response_at / 86400000000, new.type, coalesce(new.assignee_id, 0),
               1, (new.first_response_at - new.created_at) / 1000000, new.response_met IS NOT NULL, coalesce(new.response_met, 0)
            WHERE new.first_response_at IS NOT NULL
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET responses = responses + 1,
            response_seconds = response_seconds + excluded.response_seconds,
            responses_judged = responses_judged + excluded.responses_judged, responses_met = responses_met + excluded.responses_met;
    INSERT INTO report_durations (day, metric, bucket, n)
        SELECT new.first_response_at / 86400000000, 1,
               CAST(floor(ln(max((new.first_response_at - new.created_at) / 1000000, 1)) / ln(1.05)) AS INTEGER), 1
            WHERE new.first_response_at IS NOT NULL
        ON CONFLICT (day, metric, bucket) DO UPDATE SET n = n + 1;
    INSERT INTO report_days (day, type, assignee_id, resolutions, resolution_seconds, resolutions_judged, resolutions_met)
        SELECT new.resolved_at / 86400000000, new.type, coalesce(new.assignee_id, 0),
               1, (new.resolved_at - new.created_at) / 1000000, new.resolution_met IS NOT NULL, coalesce(new.resolution_met, 0)
            WHERE new.resolved_at IS NOT NULL
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET resolutions = resolutions + 1,
            resolution_seconds = resolution_seconds + excluded.resolution_seconds,
            resolutions_judged = resolutions_judged + excluded.resolutions_judged,
            resolutions_met = resolutions_met + excluded.resolutions_met;
    INSERT INTO report_durations (day, metric, bucket, n)
        SELECT new.resolved_at / 86400000000, 2,
               CAST(floor(ln(max((new.resolved_at - new.created_at) / 1000000, 1)) / ln(1.05)) AS INTEGER), 1
            WHERE new.resolved_at IS NOT NULL
        ON CONFLICT (day, metric, bucket) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER report_days_rating_update AFTER UPDATE OF rating, rated_at ON tickets
    WHEN old.rating IS NOT new.rating OR old.rated_at IS NOT new.rated_at
BEGIN
    UPDATE report_days SET rating_sum = rating_sum - old.rating, rating_n = rating_n - 1
        WHERE old.rating IS NOT NULL
          AND day = old.rated_at / 86400000000 AND type = old.type AND assignee_id = coalesce(old.assignee_id, 0);
    INSERT INTO report_days (day, type, assignee_id, rating_sum, rating_n)
        SELECT new.rated_at / 86400000000, new.type, coalesce(new.assignee_id, 0), new.rating, 1 WHERE new.rating IS NOT NULL
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET rating_sum = rating_sum + excluded.rating_sum, rating_n = rating_n + 1;
END;

CREATE TRIGGER report_days_response_update AFTER UPDATE OF first_response_at, response_met ON tickets
    WHEN old.first_response_at IS NOT new.first_response_at OR old.response_met IS NOT new.response_met
BEGIN
    UPDATE report_days SET responses = responses - 1,
            response_seconds = response_seconds - (old.first_response_at - old.created_at) / 1000000,
            responses_judged = responses_judged - (old.response_met IS NOT NULL),
            responses_met = responses_met - coalesce(old.response_met, 0)
        WHERE old.first_response_at IS NOT NULL AND day = old.first_response_at / 86400000000
          AND type = old.type AND assignee_id = coalesce(old.assignee_id, 0);
    UPDATE report_durations SET n = n - 1
        WHERE old.first_response_at IS NOT NULL AND day = old.first_response_at / 86400000000 AND metric = 1
          AND bucket = CAST(floor(ln(max((old.first_response_at - old.created_at) / 1000000, 1)) / ln(1.05)) AS INTEGER);
    INSERT INTO report_days (day, type, assignee_id, responses, response_seconds, responses_judged, responses_met)
        SELECT new.first_response_at / 86400000000, new.type, coalesce(new.assignee_id, 0),
               1, (new.first_response_at - new.created_at) / 1000000, new.response_met IS NOT NULL, coalesce(new.response_met, 0)
            WHERE new.first_response_at IS NOT NULL
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET responses = responses + 1,
            response_seconds = response_seconds + excluded.response_seconds,
            responses_judged = responses_judged + excluded.responses_judged, responses_met = responses_met + excluded.responses_met;
    INSERT INTO report_durations (day, metric, bucket, n)
        SELECT new.first_response_at / 86400000000, 1,
               CAST(floor(ln(max((new.first_response_at - new.created_at) / 1000000, 1)) / ln(1.05)) AS INTEGER), 1
            WHERE new.first_response_at IS NOT NULL
        ON CONFLICT (day, metric, bucket) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER report_days_resolution_update AFTER UPDATE OF resolved_at, resolution_met ON tickets
    WHEN old.resolved_at IS NOT new.resolved_at OR old.resolution_met IS NOT new.resolution_met
BEGIN
    UPDATE report_days SET resolutions = resolutions - 1,
            resolution_seconds = resolution_seconds - (old.resolved_at - old.created_at) / 1000000,
            resolutions_judged = resolutions_judged - (old.resolution_met IS NOT NULL),
            resolutions_met = resolutions_met - coalesce(old.resolution_met, 0)
        WHERE old.resolved_at IS NOT NULL AND day = old.resolved_at / 86400000000
          AND type = old.type AND assignee_id = coalesce(old.assignee_id, 0);
    UPDATE report_durations SET n = n - 1
        WHERE old.resolved_at IS NOT NULL AND day = old.resolved_at / 86400000000 AND metric = 2
          AND bucket = CAST(floor(ln(max((old.resolved_at - old.created_at) / 1000000, 1)) / ln(1.05)) AS INTEGER);
    INSERT INTO report_days (day, type, assignee_id, resolutions, resolution_seconds, resolutions_judged, resolutions_met)
        SELECT new.resolved_at / 86400000000, new.type, coalesce(new.assignee_id, 0),
               1, (new.resolved_at - new.created_at) / 1000000, new.resolution_met IS NOT NULL, coalesce(new.resolution_met, 0)
            WHERE new.resolved_at IS NOT NULL
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET resolutions = resolutions + 1,
            resolution_seconds = resolution_seconds + excluded.resolution_seconds,
            resolutions_judged = resolutions_judged + excluded.resolutions_judged,
            resolutions_met = resolutions_met + excluded.resolutions_met;
    INSERT INTO report_durations (day, metric, bucket, n)
        SELECT new.resolved_at / 86400000000, 2,
               CAST(floor(ln(max((new.resolved_at - new.created_at) / 1000000, 1)) / ln(1.05)) AS INTEGER), 1
            WHERE new.resolved_at IS NOT NULL
        ON CONFLICT (day, metric, bucket) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER report_days_closed AFTER INSERT ON ticket_history WHEN new.to_status = 'closed' BEGIN
    INSERT INTO report_days (day, type, assignee_id, closed)
        SELECT new.at / 86400000000, type, coalesce(assignee_id, 0), 1 FROM tickets WHERE id = new.ticket_id
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET closed = closed + 1;
END;
