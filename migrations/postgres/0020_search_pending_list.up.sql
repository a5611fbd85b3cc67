-- The GIN index of the search keeps new entries in a pending list before
-- it merges them into its tree (fastupdate), up to gin_pending_list_limit,
-- 4 MB by default. Every search reads the whole pending list, one entry
-- after another: at 100,000 tickets, with the 25,000 entries a bulk load
-- left there, a search for a rare word took 9.5 ms instead of 0.2 ms, and
-- the planner, which counts those pages, avoided the index. 64 kB (the
-- least allowed) keeps inserts batched while a search reads a few pages of
-- it at most; what is pending now is merged here.
ALTER INDEX tickets_search SET (gin_pending_list_limit = 64);
SELECT gin_clean_pending_list('tickets_search');
