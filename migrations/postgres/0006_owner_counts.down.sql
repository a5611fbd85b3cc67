DROP TRIGGER tickets_owner_count_delete ON tickets;
DROP TRIGGER tickets_owner_count_update ON tickets;
DROP TRIGGER tickets_owner_count_insert ON tickets;
DROP FUNCTION crm_owner_ticket_counts();
DROP TABLE owner_ticket_counts;
