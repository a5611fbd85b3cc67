-- Staff alerts in a linked Telegram chat: of each new ticket, and of the
-- owner's replies on tickets assigned to the staff member. Both on unless
-- the person switches them off on the account page.
ALTER TABLE users ADD COLUMN alert_new_tickets INTEGER NOT NULL DEFAULT 1 CHECK (alert_new_tickets IN (0, 1));
ALTER TABLE users ADD COLUMN alert_owner_replies INTEGER NOT NULL DEFAULT 1 CHECK (alert_owner_replies IN (0, 1));
