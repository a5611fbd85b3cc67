CREATE INDEX deliveries_pending_due ON deliveries (next_attempt_at) WHERE status = 'pending';

DROP TRIGGER tickets_fts_insert;
DROP TRIGGER tickets_fts_update;
DROP TRIGGER tickets_fts_delete;

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

DROP TABLE tickets_fts_pending;
INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');
