ALTER TABLE ticket_history DROP COLUMN IF EXISTS merged_from;
ALTER TABLE ticket_history DROP COLUMN IF EXISTS merged_into;
