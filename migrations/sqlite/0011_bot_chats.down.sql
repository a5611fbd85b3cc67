DROP TABLE bot_dialogues;
DROP TABLE bot_messages;
