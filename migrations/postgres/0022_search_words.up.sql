-- The words of each ticket's search text (the lexemes of search_vector),
-- each cut to its first 8 characters, one row a word and a ticket, so that
-- a search for one term reads its matches newest first from a B-tree and
-- stops after a page (or after the count's cap) instead of listing every
-- match from the GIN index, which only hands out a bitmap of all of them,
-- or reading the newest tickets one by one and testing each: counting
-- "микро" at 100,000 tickets read 5,583 tickets for its 201 matches.
-- A term of up to 8 letters is the beginning of one key or of several
-- ("микро": "микровол"); a longer one is found under its first 8 letters
-- and checked against the search text. Word beginnings of every length as
-- keys would have made a search one lookup, but at about 100 rows a
-- ticket instead of 20; in search_vector they made the vector four times
-- larger and halved the searches at a million tickets.
--
-- "C" collation: keys compare byte by byte, so the keys a term begins
-- are one range of the index.
CREATE TABLE ticket_words (
    word      TEXT COLLATE "C" NOT NULL,
    ticket_id BIGINT           NOT NULL
);

-- Filled before its index is built: one sort instead of 20 index inserts
-- a ticket.
SET maintenance_work_mem = '256MB';
INSERT INTO ticket_words (word, ticket_id)
    SELECT k.word, t.id FROM tickets t,
        LATERAL (SELECT DISTINCT left(l, 8) AS word FROM unnest(tsvector_to_array(t.search_vector)) l) k;
ALTER TABLE ticket_words ADD CONSTRAINT ticket_words_pkey PRIMARY KEY (word, ticket_id);
RESET maintenance_work_mem;
ANALYZE ticket_words;

-- Kept in step with tickets in the same transaction. An insert runs once
-- per statement over its new rows (a COPY of thousands of tickets is one
-- INSERT here). A ticket's title, text and owner do not change, and the
-- store writes search with every update, so the update trigger runs only
-- for a row whose search text did change.
CREATE FUNCTION crm_ticket_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_words (word, ticket_id)
        SELECT k.word, n.id FROM new_rows n,
            LATERAL (SELECT DISTINCT left(l, 8) AS word FROM unnest(tsvector_to_array(n.search_vector)) l) k;
    RETURN NULL;
END
$$;

CREATE FUNCTION crm_ticket_words_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ticket_words w USING old_rows o, unnest(tsvector_to_array(o.search_vector)) l
        WHERE w.word = left(l, 8) AND w.ticket_id = o.id;
    RETURN NULL;
END
$$;

CREATE FUNCTION crm_ticket_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ticket_words w USING unnest(tsvector_to_array(old.search_vector)) l
        WHERE w.word = left(l, 8) AND w.ticket_id = old.id;
    INSERT INTO ticket_words (word, ticket_id)
        SELECT DISTINCT left(l, 8), new.id FROM unnest(tsvector_to_array(new.search_vector)) l;
    RETURN NULL;
END
$$;

CREATE TRIGGER tickets_words_insert AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_ticket_words_insert();
CREATE TRIGGER tickets_words_delete AFTER DELETE ON tickets
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_ticket_words_delete();
CREATE TRIGGER tickets_words_update AFTER UPDATE OF search ON tickets
    FOR EACH ROW WHEN (old.search IS DISTINCT FROM new.search)
    EXECUTE FUNCTION crm_ticket_words_update();
