-- SQLite's migration 0025 turns its full-text index around so that it
-- yields the newest matches first; ticket_words (migration 0022) already
-- does, so PostgreSQL has nothing to change (every version exists in both
-- dialects).
SELECT 1;
