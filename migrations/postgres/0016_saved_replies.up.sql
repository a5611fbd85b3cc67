-- Saved replies: texts staff insert into comments. scope_id is 0 for a
-- reply shared with all staff and the author's id for a personal one; a
-- name is unique in its scope in any case (name_key is the name in lower
-- case, compared byte by byte as the other stores do).
CREATE TABLE saved_replies (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id  BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope_id   BIGINT      NOT NULL,
    shared     BOOLEAN     NOT NULL,
    name       TEXT        NOT NULL,
    name_key   TEXT        COLLATE "C" NOT NULL,
    text       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK ((shared AND scope_id = 0) OR (NOT shared AND scope_id = author_id))
);

CREATE UNIQUE INDEX saved_replies_scope_name ON saved_replies (scope_id, name_key);
