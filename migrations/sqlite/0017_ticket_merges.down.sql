ALTER TABLE ticket_history DROP COLUMN merged_from;
ALTER TABLE ticket_history DROP COLUMN merged_into;
