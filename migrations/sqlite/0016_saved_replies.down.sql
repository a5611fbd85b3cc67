DROP TABLE IF EXISTS saved_replies;
