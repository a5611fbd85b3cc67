-- The claim walks the heads of the delivery queues (deliveries_pending_order);
-- nothing reads pending deliveries by due time any more, and every new or
-- settled delivery had kept this index too.
DROP INDEX deliveries_pending_due;

-- Replicas wake one another after their commits (crm's EventNotifier), no
-- longer from inside each transaction: a transaction that notifies takes
-- a lock of the whole database at commit, held until its commit record is
-- flushed, so concurrent writers' commits queued for it one by one.
DROP TRIGGER events_notify ON events;
DROP FUNCTION crm_events_notify();
