-- PostgreSQL's migration 0022 adds the table of words its searches read
-- newest first; FTS5 already yields its matches by rowid, so SQLite has
-- nothing to change (every version exists in both dialects).
SELECT 1;
