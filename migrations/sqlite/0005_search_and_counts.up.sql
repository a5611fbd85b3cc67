-- Search and counts that cost the same at a million tickets as at a
-- thousand.
--
-- tickets.search now holds the words of the title, text and owner's
-- username, lower-cased and separated by single spaces (the application's
-- TicketSearchText). tickets_fts indexes it with FTS5 (external content:
-- the text is stored once, in tickets); triggers keep it in step in the
-- same transaction as the change.
--   remove_diacritics 0: "й" stays apart from "и".
--   prefix: the word beginnings of 1 to 8 characters are indexed as
--     terms of their own, so "экран"* reads one list, newest first, and
--     stops after a page, instead of merging the lists of every word that
--     starts so (10 times faster at 100,000 tickets).
--   detail none, columnsize 0: a search matches words, never phrases,
--     and ranks nothing, so positions and lengths are not kept (the index
--     is a fraction of the size).
CREATE VIRTUAL TABLE tickets_fts USING fts5(
    search,
    content = 'tickets',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3 4 5 6 7 8',
    detail = none,
    columnsize = 0
);

CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts (rowid, search) VALUES (new.id, new.search);
END;

CREATE TRIGGER tickets_fts_update AFTER UPDATE OF search ON tickets WHEN old.search IS NOT new.search BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO tickets_fts (rowid, search) VALUES (new.id, new.search);
END;

CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;

INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');

-- The number of tickets of each type, status and assignee (0: nobody),
-- kept by triggers, so that the queue's counts per status add up a few
-- dozen rows instead of reading every ticket.
CREATE TABLE ticket_counts (
    type        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    assignee_id INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (type, status, assignee_id)
) STRICT, WITHOUT ROWID;

INSERT INTO ticket_counts (type, status, assignee_id, n)
    SELECT type, status, coalesce(assignee_id, 0), count(*) FROM tickets GROUP BY 1, 2, 3;

CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_counts (type, status, assignee_id, n)
        VALUES (new.type, new.status, coalesce(new.assignee_id, 0), 1)
        ON CONFLICT (type, status, assignee_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_count_update AFTER UPDATE OF type, status, assignee_id ON tickets
    WHEN old.type IS NOT new.type OR old.status IS NOT new.status OR old.assignee_id IS NOT new.assignee_id
BEGIN
    UPDATE ticket_counts SET n = n - 1
        WHERE type = old.type AND status = old.status AND assignee_id = coalesce(old.assignee_id, 0);
    INSERT INTO ticket_counts (type, status, assignee_id, n)
        VALUES (new.type, new.status, coalesce(new.assignee_id, 0), 1)
        ON CONFLICT (type, status, assignee_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets BEGIN
    UPDATE ticket_counts SET n = n - 1
        WHERE type = old.type AND status = old.status AND assignee_id = coalesce(old.assignee_id, 0);
END;

-- An index for each combination of filters the queue and the API use, each
-- ending in id so that it yields a page newest first without sorting:
-- status and type together, an assignee's tickets of one status, a
-- person's own tickets of one status. (status, id), (type, id),
-- (assignee_id, id) and (owner_id, id) serve the single filters.
CREATE INDEX tickets_status_type ON tickets (status, type, id);
CREATE INDEX tickets_assignee_status ON tickets (assignee_id, status, id);
CREATE INDEX tickets_owner_status ON tickets (owner_id, status, id);
