-- Search and counts that cost the same at a million tickets as at a
-- thousand.
--
-- tickets.search now holds the words of the title, text and owner's
-- username, lower-cased and separated by single spaces (the application's
-- TicketSearchText); rows stored before are brought to that form here.
-- search_vector is generated from it, so it changes with the row, and a
-- GIN index serves word and prefix matches ('микро':*). The 'simple'
-- configuration keeps words as they are: no stemming, no stop words.
UPDATE tickets SET search = btrim(regexp_replace(search, '[^[:alnum:]]+', ' ', 'g'));

ALTER TABLE tickets ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search)) STORED;

CREATE INDEX tickets_search ON tickets USING gin (search_vector);

-- Sample enough words that the planner knows a rare word from a common
-- one: with the default sample it took a word in 1 ticket of 1,650 for one
-- in 400, read the newest tickets one by one looking for it (37 ms at a
-- million tickets) instead of asking the index (7 ms).
ALTER TABLE tickets ALTER COLUMN search_vector SET STATISTICS 1000;

-- The number of tickets of each type, status and assignee (0: nobody),
-- kept by triggers, so that the queue's counts per status add up a few
-- dozen rows instead of reading every ticket. Each count is split over 8
-- shards (by ticket id) so that concurrent writers rarely wait on one row.
CREATE TABLE ticket_counts (
    type        TEXT     NOT NULL,
    status      TEXT     NOT NULL,
    assignee_id BIGINT   NOT NULL,
    shard       SMALLINT NOT NULL,
    n           BIGINT   NOT NULL,
    PRIMARY KEY (type, status, assignee_id, shard)
);

INSERT INTO ticket_counts (type, status, assignee_id, shard, n)
    SELECT type, status, coalesce(assignee_id, 0), id % 8, count(*) FROM tickets GROUP BY 1, 2, 3, 4;

-- The triggers run once per statement over its transition tables, so a
-- COPY of thousands of tickets changes each count once. The changes are
-- written in key order, so two statements never wait on each other's
-- counts in a cycle, and a change that moves no count writes nothing.
CREATE FUNCTION crm_ticket_counts() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_ticket_counts();
CREATE TRIGGER tickets_count_update AFTER UPDATE ON tickets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_ticket_counts();
CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_ticket_counts();

-- An index for each combination of filters the queue and the API use, each
-- ending in id so that it yields a page newest first without sorting.
-- (status, id), (type, id), (assignee_id, id) and (owner_id, id) serve the
-- single filters.
CREATE INDEX tickets_status_type ON tickets (status, type, id);
CREATE INDEX tickets_assignee_status ON tickets (assignee_id, status, id);
CREATE INDEX tickets_owner_status ON tickets (owner_id, status, id);
