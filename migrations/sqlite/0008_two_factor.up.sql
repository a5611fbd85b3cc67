-- Two-factor sign-in (TOTP), one row per user that has begun enrolling.
-- The secret is kept as it is (it must verify codes); recovery codes only
-- as SHA-256 hashes, space-separated, the unused ones. pending_hash is the
-- hash of the token of a login whose password was right and that waits for
-- its code. Times are INTEGER unix microseconds, UTC; NULL means none.

CREATE TABLE two_factor (
    user_id            INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret             TEXT    NOT NULL,
    enabled_at         INTEGER,
    recovery_hashes    TEXT    NOT NULL DEFAULT '',
    last_step          INTEGER NOT NULL DEFAULT 0,
    failures           INTEGER NOT NULL DEFAULT 0,
    blocked_until      INTEGER,
    pending_hash       TEXT UNIQUE,
    pending_expires_at INTEGER,
    created_at         INTEGER NOT NULL
) STRICT;
