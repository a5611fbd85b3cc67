DROP INDEX IF EXISTS link_tokens_expires_at;
