ALTER TABLE users DROP COLUMN alert_owner_replies;
ALTER TABLE users DROP COLUMN alert_new_tickets;
