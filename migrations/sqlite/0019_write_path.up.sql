-- The write path of a burst of new tickets.
--
-- Tickets reach the full-text index at the end of their transaction, not
-- row by row. The store commits the writes waiting for the write lock
-- together, each under a savepoint, and FTS5 writes what it holds in
-- memory to a new segment of the index at every savepoint's end: a
-- segment per ticket, merged again and again, a fifth of the server's
-- CPU under 32 writers. The triggers now note the tickets to index in
-- tickets_fts_pending (with the text indexed before, to delete it), and
-- the store indexes them before every commit of a write transaction
-- (sqlstore: the dialect's beforeCommit), so a search still sees a
-- ticket as soon as it is committed, and FTS5 writes a segment a batch.
CREATE TABLE tickets_fts_pending (
    id          INTEGER PRIMARY KEY,
    old_search  TEXT -- what tickets_fts holds for the ticket; NULL: nothing
) STRICT;

DROP TRIGGER tickets_fts_insert;
DROP TRIGGER tickets_fts_update;
DROP TRIGGER tickets_fts_delete;

-- The first change of a ticket in a transaction keeps the text indexed.
CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts_pending (id, old_search) VALUES (new.id, NULL) ON CONFLICT (id) DO NOTHING;
END;

CREATE TRIGGER tickets_fts_update AFTER UPDATE OF search ON tickets WHEN old.search IS NOT new.search BEGIN
    INSERT INTO tickets_fts_pending (id, old_search) VALUES (old.id, old.search) ON CONFLICT (id) DO NOTHING;
END;

CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts_pending (id, old_search) VALUES (old.id, old.search) ON CONFLICT (id) DO NOTHING;
END;

-- The claim walks the heads of the delivery queues (deliveries_pending_order);
-- nothing reads pending deliveries by due time any more.
DROP INDEX deliveries_pending_due;
