-- Merging duplicates: the history step that closed a duplicate names the
-- ticket it was merged into (merged_into), and the step of that ticket
-- names the duplicate (merged_from); 0 on every other step. The moved
-- comments, history steps and files simply change their ticket_id.
ALTER TABLE ticket_history ADD COLUMN merged_into BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ticket_history ADD COLUMN merged_from BIGINT NOT NULL DEFAULT 0;
