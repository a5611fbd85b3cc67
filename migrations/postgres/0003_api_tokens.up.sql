-- API tokens for the JSON API: only the hash of a token is stored;
-- last_used_at is NULL until first use.

CREATE TABLE api_tokens (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   TEXT        NOT NULL CONSTRAINT api_tokens_token_hash_unique UNIQUE,
    user_id      BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);

CREATE INDEX api_tokens_user_id ON api_tokens (user_id, id);
