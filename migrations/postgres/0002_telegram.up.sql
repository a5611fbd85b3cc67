-- Telegram: one-time link tokens, and the deliveries of stored events to
-- the event handlers (one per event and handler), with each handler's
-- cursor over the events.

CREATE TABLE link_tokens (
    token_hash TEXT        PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

CREATE INDEX link_tokens_user_id ON link_tokens (user_id);

-- order_key orders a handler's deliveries: those with one key are made one
-- at a time, in event order. lease_owner/lease_until mark a delivery a
-- dispatcher is making; since is when the current run of attempts began.
-- hold_until, on the key's last sent delivery, keeps the key's next one back
-- (one message per second to a chat, whichever replica sends it).
CREATE TABLE deliveries (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        BIGINT      NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    handler         TEXT        NOT NULL,
    order_key       TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT        NOT NULL DEFAULT '',
    note            TEXT        NOT NULL DEFAULT '',
    lease_owner     TEXT        NOT NULL DEFAULT '',
    lease_until     TIMESTAMPTZ,
    hold_until      TIMESTAMPTZ,
    since           TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT deliveries_event_handler_unique UNIQUE (event_id, handler)
);

CREATE INDEX deliveries_pending_order ON deliveries (handler, order_key, event_id) WHERE status = 'pending';
CREATE INDEX deliveries_pending_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_status ON deliveries (status, id);
CREATE INDEX deliveries_hold ON deliveries (handler, order_key, hold_until) WHERE hold_until IS NOT NULL;

CREATE TABLE outbox_cursors (
    handler  TEXT   PRIMARY KEY,
    event_id BIGINT NOT NULL
);

-- Wake the dispatchers of every replica when events are stored: the
-- notification goes out when the transaction commits.
CREATE FUNCTION crm_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('crm_events', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION crm_events_notify();
