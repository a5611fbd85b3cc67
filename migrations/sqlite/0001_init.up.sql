-- Times are INTEGER unix microseconds, UTC. Booleans are INTEGER 0/1.
-- Ticket.search is lower(title || '\n' || text || '\n' || owner_name),
-- computed in Go (strings.ToLower) so that Cyrillic matches case-insensitively.

CREATE TABLE users (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    username         TEXT    NOT NULL,
    username_key     TEXT    NOT NULL UNIQUE,
    password_hash    TEXT    NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('user', 'staff', 'admin')),
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    telegram_chat_id INTEGER UNIQUE CHECK (telegram_chat_id <> 0),
    language         TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL
) STRICT;

CREATE INDEX users_role_active ON users (role, active);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE tickets (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id      INTEGER NOT NULL REFERENCES users (id),
    owner_name    TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    text          TEXT    NOT NULL,
    type          TEXT    NOT NULL CHECK (type IN ('consultation', 'repair', 'service')),
    status        TEXT    NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
    assignee_id   INTEGER REFERENCES users (id),
    assignee_name TEXT    NOT NULL DEFAULT '',
    search        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX tickets_owner_id ON tickets (owner_id, id);
CREATE INDEX tickets_status ON tickets (status, id);
CREATE INDEX tickets_assignee_id ON tickets (assignee_id, id);
CREATE INDEX tickets_type ON tickets (type, id);

CREATE TABLE ticket_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    by_id       INTEGER NOT NULL,
    by_name     TEXT    NOT NULL,
    from_status TEXT    NOT NULL CHECK (from_status IN ('open', 'in_progress', 'closed')),
    to_status   TEXT    NOT NULL CHECK (to_status IN ('open', 'in_progress', 'closed')),
    comment     TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL
) STRICT;

CREATE INDEX ticket_history_ticket_id ON ticket_history (ticket_id, id);

CREATE TABLE ticket_comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL,
    author_name TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    internal    INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    at          INTEGER NOT NULL
) STRICT;

CREATE INDEX ticket_comments_ticket_id ON ticket_comments (ticket_id, id);

-- The outbox: every domain event, stored with its aggregate.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL,
    stream     TEXT    NOT NULL,
    payload    TEXT    NOT NULL CHECK (json_valid(payload)),
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX events_kind ON events (kind, id);
