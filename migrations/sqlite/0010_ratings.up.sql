-- Ratings: the owner's stars (1 to 5) for the current closing of a ticket,
-- NULL when not rated; reopening the ticket clears them. rated_at is
-- INTEGER unix microseconds, UTC. by_reply marks the history step of a
-- closed ticket reopened by its owner's comment.
ALTER TABLE tickets ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE tickets ADD COLUMN rated_at INTEGER;
ALTER TABLE ticket_history ADD COLUMN by_reply INTEGER NOT NULL DEFAULT 0 CHECK (by_reply IN (0, 1));
