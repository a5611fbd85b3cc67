-- Attachments: files on tickets and on comments. Each distinct content is
-- kept once in file_blobs, under its SHA-256 (lowercase hex), written in the
-- transaction of the message that carries it; so every replica reads every
-- file and a backup of the database holds them all. A blob goes when the
-- last attachment that refers to it (as its content or its thumbnail) is
-- deleted. Times are INTEGER unix microseconds, UTC.

CREATE TABLE file_blobs (
    sha256  TEXT    PRIMARY KEY,
    size    INTEGER NOT NULL,
    content BLOB    NOT NULL
) STRICT;

-- comment_id is NULL for a file on the ticket's own text. A file staff
-- deleted keeps its row for the ticket's history (deleted_at, by whom),
-- without its content: its hashes are NULL, so it refers to no blob.
CREATE TABLE ticket_attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    comment_id   INTEGER REFERENCES ticket_comments (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    REFERENCES file_blobs (sha256),
    thumb_sha256 TEXT    REFERENCES file_blobs (sha256),
    internal     INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    by_id        INTEGER NOT NULL,
    by_name      TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    deleted_at      INTEGER,
    deleted_by_id   INTEGER,
    deleted_by_name TEXT,
    CHECK ((deleted_at IS NULL) = (sha256 IS NOT NULL))
) STRICT;

CREATE INDEX ticket_attachments_ticket_id ON ticket_attachments (ticket_id, id);
-- The reference checks of a deletion: is a blob still someone's content or
-- thumbnail?
CREATE INDEX ticket_attachments_sha256 ON ticket_attachments (sha256);
CREATE INDEX ticket_attachments_thumb_sha256 ON ticket_attachments (thumb_sha256);
