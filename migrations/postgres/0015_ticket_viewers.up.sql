-- Who has which staff ticket page open right now (the live pages'
-- presence): one row per open page's event stream, refreshed while the
-- stream lasts and deleted when it ends, shared by every replica. No
-- foreign keys: a row outlives nothing it names by more than its time to
-- live. UNLOGGED: presence is worth nothing after a crash.
CREATE UNLOGGED TABLE ticket_viewers (
    viewer_key TEXT        PRIMARY KEY,
    ticket_id  BIGINT      NOT NULL,
    user_id    BIGINT      NOT NULL,
    username   TEXT        NOT NULL,
    seen_at    TIMESTAMPTZ NOT NULL
);

CREATE INDEX ticket_viewers_ticket_seen ON ticket_viewers (ticket_id, seen_at);
