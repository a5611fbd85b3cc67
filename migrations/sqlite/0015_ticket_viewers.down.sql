DROP TABLE ticket_viewers;
