DROP VIEW ticket_type_counts;
