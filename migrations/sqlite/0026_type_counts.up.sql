-- ticket_type_counts: the tickets of each type and status, whoever is
-- assigned, which the queue's counts read when no assignee filters. On
-- PostgreSQL it is a table of its own (its ticket_counts has eight shards
-- per assignee); here ticket_counts holds a row per type, status and
-- assignee and no shards, so a view adds up its few rows.
CREATE VIEW ticket_type_counts AS
    SELECT type, status, sum(n) AS n FROM ticket_counts GROUP BY type, status;
