DROP TRIGGER report_days_closed ON ticket_history;
DROP FUNCTION crm_report_closed();
DROP TRIGGER report_days_ticket_update ON tickets;
DROP TRIGGER report_days_ticket_insert ON tickets;
DROP FUNCTION crm_report_tickets();
DROP TABLE report_days;
DROP FUNCTION crm_day(TIMESTAMPTZ);
