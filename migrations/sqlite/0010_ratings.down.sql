ALTER TABLE ticket_history DROP COLUMN by_reply;
ALTER TABLE tickets DROP COLUMN rated_at;
ALTER TABLE tickets DROP COLUMN rating;
