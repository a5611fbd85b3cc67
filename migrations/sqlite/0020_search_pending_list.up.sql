-- PostgreSQL's migration 0020 bounds the pending list of its GIN search
-- index; FTS5 has none, so SQLite has nothing to change (every version
-- exists in both dialects).
SELECT 1;
