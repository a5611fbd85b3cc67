package sqlstore

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
)

// Observers of the queries stores run, by store. They live beside Store,
// not in it, and cost one atomic load per query while none is set.
var (
	observers sync.Map     // *Store → func(ctx context.Context, query string, args []any)
	observing atomic.Int32 // how many stores have an observer
)

// OnQuery makes s call fn before every query it runs through its
// statements (reads and writes, in a transaction or not) with the query's
// context, so that a test can tell a request's queries from a background
// worker's; the query as the database receives it (placeholders rebound);
// and a copy of its arguments in their stored form. nil stops it. Begin and
// commit are not queries here. fn runs on the querying goroutine, so it
// must be quick and safe for concurrent use. It is meant for tests that
// count statements or read their plans.
func (s *Store) OnQuery(fn func(ctx context.Context, query string, args []any)) {
	if fn == nil {
		if _, had := observers.LoadAndDelete(s); had {
			observing.Add(-1)
		}
		return
	}
	if _, had := observers.Swap(s, fn); !had {
		observing.Add(1)
	}
}

// observe tells s's observer, if any, that q runs with args.
func (s *Store) observe(ctx context.Context, q string, args []any) {
	if observing.Load() == 0 {
		return
	}
	if fn, ok := observers.Load(s); ok {
		fn.(func(context.Context, string, []any))(ctx, s.db.Rebind(q), s.args(slices.Clone(args)))
	}
}
