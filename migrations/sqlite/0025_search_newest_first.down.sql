DROP TABLE tickets_fts;
DROP VIEW tickets_fts_content;

CREATE VIRTUAL TABLE tickets_fts USING fts5(
    search,
    content = 'tickets',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3 4 5 6 7 8',
    detail = none,
    columnsize = 0
);

INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');
