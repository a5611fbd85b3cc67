CREATE INDEX tickets_owner_id ON tickets (owner_id, id);
DROP INDEX tickets_owner_list;
