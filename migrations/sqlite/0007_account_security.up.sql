-- Password-reset links an admin issues for a user: only the hash of the
-- token is stored. Times are INTEGER unix microseconds, UTC; used_at is
-- NULL until the link is used.
CREATE TABLE password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;

CREATE INDEX password_resets_user_id ON password_resets (user_id);

-- What the account page shows of a session: the browser's User-Agent, the
-- client address at login, and when the session was last used (written at
-- most once a minute).
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER;
