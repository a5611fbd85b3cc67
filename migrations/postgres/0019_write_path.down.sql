CREATE FUNCTION crm_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('crm_events', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION crm_events_notify();

CREATE INDEX deliveries_pending_due ON deliveries (next_attempt_at) WHERE status = 'pending';
