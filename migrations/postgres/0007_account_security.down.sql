ALTER TABLE sessions DROP COLUMN IF EXISTS last_seen_at;
ALTER TABLE sessions DROP COLUMN IF EXISTS address;
ALTER TABLE sessions DROP COLUMN IF EXISTS user_agent;
DROP TABLE IF EXISTS password_resets;
