-- Staff alerts in a linked Telegram chat: of each new ticket, and of the
-- owner's replies on tickets assigned to the staff member. Both on unless
-- the person switches them off on the account page.
ALTER TABLE users ADD COLUMN alert_new_tickets BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN alert_owner_replies BOOLEAN NOT NULL DEFAULT TRUE;
