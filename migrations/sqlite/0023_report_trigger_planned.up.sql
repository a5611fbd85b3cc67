-- PostgreSQL's migration 0023 has its report trigger run planned
-- statements instead of text built each time; SQLite's triggers are
-- compiled with the schema, so it has nothing to change (every version
-- exists in both dialects).
SELECT 1;
