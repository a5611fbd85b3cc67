DROP TABLE IF EXISTS outbox_cursors;
DROP TABLE IF EXISTS deliveries;
DROP TABLE IF EXISTS link_tokens;
