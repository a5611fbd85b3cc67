-- The janitor deletes link tokens by expiry across all users; the index
-- on user_id alone would make that a scan of the whole table.

CREATE INDEX link_tokens_expires_at ON link_tokens (expires_at);
