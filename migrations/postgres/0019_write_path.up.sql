-- The claim walks the heads of the delivery queues (deliveries_pending_order);
-- nothing reads pending deliveries by due time any more, and every new or
-- settled delivery had kept this index too.
DROP INDEX deliveries_pending_due;
