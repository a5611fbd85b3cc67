-- Ticket.search is lower(title || '\n' || text || '\n' || owner_name),
-- computed in Go (strings.ToLower) so that both dialects match alike.

CREATE TABLE users (
    id               BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username         TEXT        NOT NULL,
    username_key     TEXT        NOT NULL CONSTRAINT users_username_key_unique UNIQUE,
    password_hash    TEXT        NOT NULL,
    role             TEXT        NOT NULL CHECK (role IN ('user', 'staff', 'admin')),
    active           BOOLEAN     NOT NULL DEFAULT TRUE,
    telegram_chat_id BIGINT      CONSTRAINT users_telegram_chat_id_unique UNIQUE CHECK (telegram_chat_id <> 0),
    language         TEXT        NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL
);

CREATE INDEX users_role_active ON users (role, active);

CREATE TABLE sessions (
    token_hash TEXT        PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE tickets (
    id            BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id      BIGINT      NOT NULL REFERENCES users (id),
    owner_name    TEXT        NOT NULL,
    title         TEXT        NOT NULL,
    text          TEXT        NOT NULL,
    type          TEXT        NOT NULL CHECK (type IN ('consultation', 'repair', 'service')),
    status        TEXT        NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
    assignee_id   BIGINT      REFERENCES users (id),
    assignee_name TEXT        NOT NULL DEFAULT '',
    search        TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE INDEX tickets_owner_id ON tickets (owner_id, id);
CREATE INDEX tickets_status ON tickets (status, id);
CREATE INDEX tickets_assignee_id ON tickets (assignee_id, id);
CREATE INDEX tickets_type ON tickets (type, id);

CREATE TABLE ticket_history (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   BIGINT      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    by_id       BIGINT      NOT NULL,
    by_name     TEXT        NOT NULL,
    from_status TEXT        NOT NULL CHECK (from_status IN ('open', 'in_progress', 'closed')),
    to_status   TEXT        NOT NULL CHECK (to_status IN ('open', 'in_progress', 'closed')),
    comment     TEXT        NOT NULL DEFAULT '',
    at          TIMESTAMPTZ NOT NULL
);

CREATE INDEX ticket_history_ticket_id ON ticket_history (ticket_id, id);

CREATE TABLE ticket_comments (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   BIGINT      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_id   BIGINT      NOT NULL,
    author_name TEXT        NOT NULL,
    text        TEXT        NOT NULL,
    internal    BOOLEAN     NOT NULL DEFAULT FALSE,
    at          TIMESTAMPTZ NOT NULL
);

CREATE INDEX ticket_comments_ticket_id ON ticket_comments (ticket_id, id);

-- The outbox: every domain event, stored with its aggregate.
CREATE TABLE events (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT        NOT NULL,
    stream     TEXT        NOT NULL,
    payload    JSONB       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX events_kind ON events (kind, id);
