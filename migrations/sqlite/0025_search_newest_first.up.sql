-- The full-text index holds each ticket under the rowid -id, so that FTS5,
-- which hands out the matches of a query in rowid order, hands out the
-- newest first. Asked for them in descending rowid order, it first walked
-- each segment's list of the term to its end and parsed that page
-- backwards: at a million tickets that took longer than reading the
-- tickets of the page, and had to be done again by every search.
--
-- tickets_fts_content shows FTS5 the tickets under those rowids, for
-- 'rebuild' and 'integrity-check', in ascending rowid order (newest ticket
-- first): FTS5 writes what it holds out as a segment whenever a rowid comes
-- lower than the one before, so in id order 'rebuild' would write a
-- segment a ticket (the store indexes new tickets in this order too). No
-- search reads a column of tickets_fts (a search selects only rowids),
-- which would look a ticket up through the view by its -id: a scan of
-- every ticket.
--
-- Rebuilt from scratch and merged into one segment ('optimize'): 35 s at
-- a million tickets (`crm migrate up`, load average 3-6; `crm serve`
-- migrates before it answers).
DROP TABLE tickets_fts;

CREATE VIEW tickets_fts_content AS SELECT -id AS neg_id, search FROM tickets ORDER BY id DESC;

CREATE VIRTUAL TABLE tickets_fts USING fts5(
    search,
    content = 'tickets_fts_content',
    content_rowid = 'neg_id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3 4 5 6 7 8',
    detail = none,
    columnsize = 0
);

INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');
INSERT INTO tickets_fts (tickets_fts) VALUES ('optimize');
