-- Attachments: files on tickets and on comments. Each distinct content is
-- kept once in file_blobs, under its SHA-256 (lowercase hex), written in the
-- transaction of the message that carries it; so every replica reads every
-- file and a backup of the database (pg_dump) holds them all. A blob goes
-- when the last attachment that refers to it (as its content or its
-- thumbnail) is deleted.

CREATE TABLE file_blobs (
    sha256  TEXT   PRIMARY KEY,
    size    BIGINT NOT NULL,
    content BYTEA  NOT NULL
);

-- comment_id is NULL for a file on the ticket's own text. A file staff
-- deleted keeps its row for the ticket's history (deleted_at, by whom),
-- without its content: its hashes are NULL, so it refers to no blob.
CREATE TABLE ticket_attachments (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id    BIGINT      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    comment_id   BIGINT      REFERENCES ticket_comments (id) ON DELETE CASCADE,
    name         TEXT        NOT NULL,
    content_type TEXT        NOT NULL,
    size         BIGINT      NOT NULL,
    sha256       TEXT        REFERENCES file_blobs (sha256),
    thumb_sha256 TEXT        REFERENCES file_blobs (sha256),
    internal     BOOLEAN     NOT NULL DEFAULT FALSE,
    by_id        BIGINT      NOT NULL,
    by_name      TEXT        NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    deleted_at      TIMESTAMPTZ,
    deleted_by_id   BIGINT,
    deleted_by_name TEXT,
    CHECK ((deleted_at IS NULL) = (sha256 IS NOT NULL))
);

CREATE INDEX ticket_attachments_ticket_id ON ticket_attachments (ticket_id, id);
-- The reference checks of a deletion: is a blob still someone's content or
-- thumbnail?
CREATE INDEX ticket_attachments_sha256 ON ticket_attachments (sha256);
CREATE INDEX ticket_attachments_thumb_sha256 ON ticket_attachments (thumb_sha256);

-- Out of line and uncompressed: most files (images, PDF, office formats)
-- are compressed already, and reading a file in chunks (substr) then reads
-- only the chunk.
ALTER TABLE file_blobs ALTER COLUMN content SET STORAGE EXTERNAL;
