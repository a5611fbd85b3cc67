-- The photo or document a person sent the bot outside a reply and a
-- dialogue, kept by Telegram's file_id until they press a button: the bytes
-- stay with Telegram and are fetched only once it is known where they go.
ALTER TABLE bot_dialogues ADD COLUMN draft_file_id TEXT NOT NULL DEFAULT '';
ALTER TABLE bot_dialogues ADD COLUMN draft_file_name TEXT NOT NULL DEFAULT '';
ALTER TABLE bot_dialogues ADD COLUMN draft_file_size INTEGER NOT NULL DEFAULT 0;
