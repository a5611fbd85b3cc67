-- The Telegram bot's memory: which of its messages is about which ticket
-- (a reply to one becomes a comment on it), and each chat's dialogue.

CREATE TABLE bot_messages (
    chat_id    BIGINT      NOT NULL,
    message_id BIGINT      NOT NULL,
    ticket_id  BIGINT      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

CREATE INDEX bot_messages_ticket_id ON bot_messages (ticket_id);

CREATE TABLE bot_dialogues (
    chat_id      BIGINT      PRIMARY KEY,
    step         TEXT        NOT NULL CHECK (step IN ('', 'type', 'text')),
    ticket_type  TEXT        NOT NULL DEFAULT '',
    draft_key    TEXT        NOT NULL DEFAULT '',
    draft        TEXT        NOT NULL DEFAULT '',
    opened_since TIMESTAMPTZ,
    opened       INTEGER     NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL
);
