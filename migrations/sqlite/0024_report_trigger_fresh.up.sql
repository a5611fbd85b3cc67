-- PostgreSQL's migration 0024 has its report trigger count a new ticket
-- without rating, response or resolution in one short statement; SQLite's
-- report triggers are its own and stay as they are (every version exists
-- in both dialects).
SELECT 1;
