ALTER INDEX tickets_search RESET (gin_pending_list_limit);
