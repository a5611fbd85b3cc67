-- The number of each person's tickets in each status, kept by triggers, so
-- that "My tickets" counts without reading every ticket of someone who
-- files thousands (an integration, a busy office).
CREATE TABLE owner_ticket_counts (
    owner_id INTEGER NOT NULL,
    status   TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (owner_id, status)
) STRICT, WITHOUT ROWID;

INSERT INTO owner_ticket_counts (owner_id, status, n)
    SELECT owner_id, status, count(*) FROM tickets GROUP BY 1, 2;

CREATE TRIGGER tickets_owner_count_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO owner_ticket_counts (owner_id, status, n) VALUES (new.owner_id, new.status, 1)
        ON CONFLICT (owner_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_owner_count_update AFTER UPDATE OF owner_id, status ON tickets
    WHEN old.owner_id IS NOT new.owner_id OR old.status IS NOT new.status
BEGIN
    UPDATE owner_ticket_counts SET n = n - 1 WHERE owner_id = old.owner_id AND status = old.status;
    INSERT INTO owner_ticket_counts (owner_id, status, n) VALUES (new.owner_id, new.status, 1)
        ON CONFLICT (owner_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_owner_count_delete AFTER DELETE ON tickets BEGIN
    UPDATE owner_ticket_counts SET n = n - 1 WHERE owner_id = old.owner_id AND status = old.status;
END;
