-- Telegram: one-time link tokens, and the deliveries of stored events to
-- the event handlers (one per event and handler), with each handler's
-- cursor over the events. Times are INTEGER unix microseconds, UTC.

CREATE TABLE link_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;

CREATE INDEX link_tokens_user_id ON link_tokens (user_id);

-- order_key orders a handler's deliveries: those with one key are made one
-- at a time, in event order. lease_owner/lease_until mark a delivery a
-- dispatcher is making; since is when the current run of attempts began.
-- hold_until, on the key's last sent delivery, keeps the key's next one back
-- (one message per second to a chat, whichever replica sends it).
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    handler         TEXT    NOT NULL,
    order_key       TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    note            TEXT    NOT NULL DEFAULT '',
    lease_owner     TEXT    NOT NULL DEFAULT '',
    lease_until     INTEGER,
    hold_until      INTEGER,
    since           INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (event_id, handler)
) STRICT;

CREATE INDEX deliveries_pending_order ON deliveries (handler, order_key, event_id) WHERE status = 'pending';
CREATE INDEX deliveries_pending_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_status ON deliveries (status, id);
CREATE INDEX deliveries_hold ON deliveries (handler, order_key, hold_until) WHERE hold_until IS NOT NULL;

CREATE TABLE outbox_cursors (
    handler  TEXT    PRIMARY KEY,
    event_id INTEGER NOT NULL
) STRICT;
