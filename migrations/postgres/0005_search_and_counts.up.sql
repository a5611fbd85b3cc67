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

-- The number of tickets of each type, status and assignee (0: nobody),
-- kept by triggers, so that the queue's counts per status add up a few
-- dozen rows instead of reading every ticket. Each count is split over 16
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
    SELECT type, status, coalesce(assignee_id, 0), id % 16, count(*) FROM tickets GROUP BY 1, 2, 3, 4;

-- An update takes the two counts it changes in one order (the smaller key
-- first), so that two updates never wait on each other in a cycle.
CREATE FUNCTION crm_ticket_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_key TEXT;
    new_key TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ticket_counts (type, status, assignee_id, shard, n)
            VALUES (NEW.type, NEW.status, coalesce(NEW.assignee_id, 0), NEW.id % 16, 1)
            ON CONFLICT (type, status, assignee_id, shard) DO UPDATE SET n = ticket_counts.n + 1;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE ticket_counts SET n = n - 1
            WHERE type = OLD.type AND status = OLD.status AND assignee_id = coalesce(OLD.assignee_id, 0)
            AND shard = OLD.id % 16;
    ELSE
        old_key := OLD.type || '/' || OLD.status || '/' || coalesce(OLD.assignee_id, 0);
        new_key := NEW.type || '/' || NEW.status || '/' || coalesce(NEW.assignee_id, 0);
        IF old_key < new_key THEN
            UPDATE ticket_counts SET n = n - 1
                WHERE type = OLD.type AND status = OLD.status AND assignee_id = coalesce(OLD.assignee_id, 0)
                AND shard = OLD.id % 16;
        END IF;
        INSERT INTO ticket_counts (type, status, assignee_id, shard, n)
            VALUES (NEW.type, NEW.status, coalesce(NEW.assignee_id, 0), NEW.id % 16, 1)
            ON CONFLICT (type, status, assignee_id, shard) DO UPDATE SET n = ticket_counts.n + 1;
        IF old_key >= new_key THEN
            UPDATE ticket_counts SET n = n - 1
                WHERE type = OLD.type AND status = OLD.status AND assignee_id = coalesce(OLD.assignee_id, 0)
                AND shard = OLD.id % 16;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets
    FOR EACH ROW EXECUTE FUNCTION crm_ticket_counts();
CREATE TRIGGER tickets_count_update AFTER UPDATE OF type, status, assignee_id ON tickets
    FOR EACH ROW WHEN ((OLD.type, OLD.status, OLD.assignee_id) IS DISTINCT FROM (NEW.type, NEW.status, NEW.assignee_id))
    EXECUTE FUNCTION crm_ticket_counts();
CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets
    FOR EACH ROW EXECUTE FUNCTION crm_ticket_counts();

-- An index for each combination of filters the queue and the API use, each
-- ending in id so that it yields a page newest first without sorting.
-- (status, id), (type, id), (assignee_id, id) and (owner_id, id) serve the
-- single filters.
CREATE INDEX tickets_status_type ON tickets (status, type, id);
CREATE INDEX tickets_assignee_status ON tickets (assignee_id, status, id);
CREATE INDEX tickets_owner_status ON tickets (owner_id, status, id);
