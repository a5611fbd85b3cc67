DROP TRIGGER IF EXISTS events_notify ON events;
DROP FUNCTION IF EXISTS crm_events_notify();
DROP TABLE IF EXISTS outbox_cursors;
DROP TABLE IF EXISTS deliveries;
DROP TABLE IF EXISTS link_tokens;
