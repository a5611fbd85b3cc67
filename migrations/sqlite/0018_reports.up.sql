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
CREATE TABLE report_days (
    day         INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    assignee_id INTEGER NOT NULL,
    opened      INTEGER NOT NULL DEFAULT 0,
    closed      INTEGER NOT NULL DEFAULT 0,
    rating_sum  INTEGER NOT NULL DEFAULT 0,
    rating_n    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, type, assignee_id)
) STRICT, WITHOUT ROWID;

INSERT INTO report_days (day, type, assignee_id, opened, closed, rating_sum, rating_n)
    SELECT day, type, assignee_id, sum(opened), sum(closed), sum(rating_sum), sum(rating_n) FROM (
        SELECT created_at / 86400000000 AS day, type, 0 AS assignee_id, 1 AS opened, 0 AS closed, 0 AS rating_sum, 0 AS rating_n
            FROM tickets
        UNION ALL
        SELECT h.at / 86400000000, t.type, coalesce(t.assignee_id, 0), 0, 1, 0, 0
            FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id WHERE h.to_status = 'closed'
        UNION ALL
        SELECT rated_at / 86400000000, type, coalesce(assignee_id, 0), 0, 0, rating, 1
            FROM tickets WHERE rating IS NOT NULL
    ) GROUP BY 1, 2, 3;

CREATE TRIGGER report_days_ticket_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO report_days (day, type, assignee_id, opened) VALUES (new.created_at / 86400000000, new.type, 0, 1)
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET opened = opened + 1;
    INSERT INTO report_days (day, type, assignee_id, rating_sum, rating_n)
        SELECT new.rated_at / 86400000000, new.type, coalesce(new.assignee_id, 0), new.rating, 1 WHERE new.rating IS NOT NULL
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET rating_sum = rating_sum + excluded.rating_sum, rating_n = rating_n + 1;
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

CREATE TRIGGER report_days_closed AFTER INSERT ON ticket_history WHEN new.to_status = 'closed' BEGIN
    INSERT INTO report_days (day, type, assignee_id, closed)
        SELECT new.at / 86400000000, type, coalesce(assignee_id, 0), 1 FROM tickets WHERE id = new.ticket_id
        ON CONFLICT (day, type, assignee_id) DO UPDATE SET closed = closed + 1;
END;
