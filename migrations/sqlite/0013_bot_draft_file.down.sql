ALTER TABLE bot_dialogues DROP COLUMN draft_file_size;
ALTER TABLE bot_dialogues DROP COLUMN draft_file_name;
ALTER TABLE bot_dialogues DROP COLUMN draft_file_id;
