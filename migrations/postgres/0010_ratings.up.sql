-- Ratings: the owner's stars (1 to 5) for the current closing of a ticket,
-- NULL when not rated; reopening the ticket clears them. by_reply marks
-- the history step of a closed ticket reopened by its owner's comment.
ALTER TABLE tickets ADD COLUMN rating SMALLINT CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE tickets ADD COLUMN rated_at TIMESTAMPTZ;
ALTER TABLE ticket_history ADD COLUMN by_reply BOOLEAN NOT NULL DEFAULT FALSE;
