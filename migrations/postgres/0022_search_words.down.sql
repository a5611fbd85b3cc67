DROP TRIGGER tickets_words_update ON tickets;
DROP TRIGGER tickets_words_delete ON tickets;
DROP TRIGGER tickets_words_insert ON tickets;
DROP FUNCTION crm_ticket_words_update();
DROP FUNCTION crm_ticket_words_delete();
DROP FUNCTION crm_ticket_words_insert();
DROP TABLE ticket_words;
