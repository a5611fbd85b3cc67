-- Saved replies: texts staff insert into comments. scope_id is 0 for a
-- reply shared with all staff and the author's id for a personal one; a
-- name is unique in its scope in any case (name_key is the name in lower
-- case). Times are INTEGER unix microseconds, UTC.
CREATE TABLE saved_replies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope_id   INTEGER NOT NULL,
    shared     INTEGER NOT NULL CHECK (shared IN (0, 1)),
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((shared = 1 AND scope_id = 0) OR (shared = 0 AND scope_id = author_id))
) STRICT;

CREATE UNIQUE INDEX saved_replies_scope_name ON saved_replies (scope_id, name_key);
