-- Who has which staff ticket page open right now (the live pages'
-- presence): one row per open page's event stream, refreshed while the
-- stream lasts and deleted when it ends. Times are INTEGER unix
-- microseconds, UTC. No foreign keys: a row outlives nothing it names by
-- more than its time to live.
CREATE TABLE ticket_viewers (
    viewer_key TEXT    PRIMARY KEY,
    ticket_id  INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    username   TEXT    NOT NULL,
    seen_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX ticket_viewers_ticket_seen ON ticket_viewers (ticket_id, seen_at);
