DROP TRIGGER report_days_closed;
DROP TRIGGER report_days_resolution_update;
DROP TRIGGER report_days_response_update;
DROP TRIGGER report_days_rating_update;
DROP TRIGGER report_days_ticket_insert;
DROP TABLE report_durations;
DROP TABLE report_days;
