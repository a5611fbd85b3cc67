CREATE INDEX deliveries_pending_due ON deliveries (next_attempt_at) WHERE status = 'pending';
