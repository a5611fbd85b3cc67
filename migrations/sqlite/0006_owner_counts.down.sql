DROP TRIGGER tickets_owner_count_delete;
DROP TRIGGER tickets_owner_count_update;
DROP TRIGGER tickets_owner_count_insert;
DROP TABLE owner_ticket_counts;
